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
  fetcher: typeof fetch = fetch,
): Promise<T> {
  let response: Response;
  try {
    response = await fetcher(`/api/notifier/${path}`, {
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
    const message = (parsed as { message?: unknown } | undefined)?.message;
    throw new NotifierCallError(
      response.status,
      typeof message === 'string' && message
        ? message
        : `The notifier answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    );
  }
  return parsed as T;
}
