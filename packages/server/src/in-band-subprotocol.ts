/**
 * Keel's in-band subprotocol negotiation, server side (the client side is
 * packages/browser/src/in-band-subprotocol.ts): SockJS cannot carry Sec-WebSocket-Protocol, so the
 * client's first message offers `{"type":"keel:subprotocol","offer":[...]}` and the server answers
 * `{"type":"keel:subprotocol","selected":"x"}` (null when none is supported), choosing as the
 * handshake would (RFC 6455 §4.2.2): the first offered protocol the server supports.
 */

/** The answer to `text` and the selection, or undefined when `text` is not an offer. */
export function answerInBandOffer(
  text: string,
  supported: readonly string[],
): { readonly answer: string; readonly selected: string } | undefined {
  if (!text.startsWith('{"type":"keel:subprotocol"')) return undefined;
  let offer: unknown;
  try {
    offer = (JSON.parse(text) as { offer?: unknown }).offer;
  } catch {
    return undefined;
  }
  if (!Array.isArray(offer)) return undefined;
  const selected = offer.find((protocol): protocol is string => typeof protocol === 'string' && supported.includes(protocol)) ?? null;
  return { answer: JSON.stringify({ type: 'keel:subprotocol', selected }), selected: selected ?? '' };
}

/** The handshake's choice among `offered` (in the client's order of preference): for `ws`'s handleProtocols. */
export function selectSubprotocol(offered: Iterable<string>, supported: readonly string[]): string | false {
  for (const protocol of offered) if (supported.includes(protocol)) return protocol;
  return false;
}
