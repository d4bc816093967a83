// Approvals: an area still to come; the page says what it will hold.
import type { Metadata } from "next";
import { areaPreviewPage } from "@/components/shell/area-preview";

export const metadata: Metadata = { title: "Approvals" };

export default areaPreviewPage("approvals");
