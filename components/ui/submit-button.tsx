"use client";
// A Button that submits its form and shows the form's pending state (useFormStatus) while the server action runs.
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "./button";

export type SubmitButtonProps = Omit<ButtonProps, "type">;

export function SubmitButton({ pending, ...props }: SubmitButtonProps) {
  const status = useFormStatus();
  return <Button {...props} type="submit" pending={pending || status.pending} />;
}
