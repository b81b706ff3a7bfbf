// The page's calls to the notifier, through this server's proxy (/api/notifier, which adds the sign-in
// from its cookie). Every failure becomes an Error whose message is the notifier's words, or the proxy's.
export class NotifierCallError extends Error {
  override name = 'NotifierCallError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function callNotifier<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/notifier/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new NotifierCallError(0, 'This page could not reach its server: check your connection.');
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: said below in words if it was an error.
  }
  if (!response.ok) {
    throw new NotifierCallError(response.status, refusal(response, parsed));
  }
  return parsed as T;
}

/**
 * A refusal in a sentence: the notifier's message (a 400 names its field: “url” must be http or https…),
 * or its status when it said nothing readable.
 */
export function refusal(response: Response, body: unknown): string {
  const { message, parameter } = (body ?? {}) as { message?: unknown; parameter?: unknown };
  if (typeof message !== 'string' || !message) {
    return `The notifier answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
  }
  const text = typeof parameter === 'string' && parameter ? `“${parameter}” ${message}` : message;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}
