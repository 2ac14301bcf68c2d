/** What the fake sends back for one request; the server writes it. */
export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** An answer with a JSON body (the server's default content type). */
export const json = (status: number, body: unknown): Answer => ({ status, body: JSON.stringify(body) });

export const notFound = (message: string): Answer => json(404, { message });
