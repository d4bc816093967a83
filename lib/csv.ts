// CSV files the app hands out: text made safe for spreadsheets, and a file response, whole or streamed a batch of rows at a time.
import { once } from "node:events";
import { stringify as stringifyStream } from "csv-stringify";

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

/** Until the stream wants more, or is closed (a reader that went away closes it instead of draining it). */
async function drainedOrClosed(stream: NodeJS.EventEmitter): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([once(stream, "drain", { signal: done.signal }), once(stream, "close", { signal: done.signal })]);
  } finally {
    // The listener that did not fire goes with it: one is added per wait, a long file waits thousands of times.
    done.abort();
  }
}

/**
 * A CSV download written as its rows are read: the header line, then each batch from `batches` as it arrives, through
 * csv-stringify's stream (several times faster than its sync form) with backpressure, so memory holds about one batch
 * however long the file. A reader that goes away stops the reading and lets the source go.
 */
export function csvStreamResponse(name: string, columns: string[], batches: AsyncGenerator<unknown[][]>): Response {
  const csv = stringifyStream({ header: true, columns });
  void (async () => {
    try {
      for await (const batch of batches) {
        for (const row of batch) {
          if (csv.destroyed) return;
          if (!csv.write(row)) await drainedOrClosed(csv);
        }
      }
      csv.end();
    } catch (error) {
      console.error("[csv] an export stopped", error);
      csv.destroy(error as Error);
    } finally {
      await batches.return(undefined);
    }
  })();
  // The web stream pulls from the CSV stream's own iterator (not Readable.toWeb, which throws "Controller is already
  // closed" when a download is cancelled while data is still coming).
  const chunks = csv[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      csv.destroy();
      await chunks.return?.();
    },
  });
  return new Response(body, { headers: fileHeaders(name) });
}
