// CSV files the app hands out: text made safe for spreadsheets, and a file response, whole or streamed a batch of rows at a time.
import { stringify } from "csv-stringify/sync";

// A spreadsheet runs a cell that starts with these as a formula: a title typed as "=HYPERLINK(…)" must stay text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a person typed, as a cell a spreadsheet shows and never runs. */
export function spreadsheetText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function fileHeaders(name: string): HeadersInit {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    "Cache-Control": "private, no-store",
  };
}

/** A CSV download of a file built whole. */
export function csvFileResponse(name: string, body: string): Response {
  return new Response(body, { headers: fileHeaders(name) });
}

/**
 * A CSV download written as its rows are read: the header line, then each batch from `batches` as it
 * arrives, so memory holds one batch however long the file. A reader that goes away stops the reading.
 */
export function csvStreamResponse(name: string, columns: string[], batches: AsyncGenerator<unknown[][]>): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(stringify([columns])));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(stringify(next.value)));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return new Response(stream, { headers: fileHeaders(name) });
}
