"use client";
// Submits a form to its server action by hand, so React does not reset the form after the answer. A reset puts every
// controlled <select> (output type, model, what is pasted) back to the option it was first drawn with while its state
// keeps the newer choice: the page would show one plan and send another.
import { useTransition, type FormEvent } from "react";

export function useKeepOnSubmit(formAction: (data: FormData) => void) {
  const [, startTransition] = useTransition();
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
}
