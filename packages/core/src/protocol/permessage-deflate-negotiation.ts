import { HandshakeError, UsageError } from './errors.js';
import { parseExtensionsHeader, type ExtensionParam } from './permessage-deflate-extensions-header.js';

/** The registered extension token of RFC 7692 §7. */
export const PERMESSAGE_DEFLATE = 'permessage-deflate';

/** Smallest and largest LZ77 window, as a base-2 logarithm (RFC 7692 §7.1.2: 8 to 15). */
export const MIN_WINDOW_BITS = 8;
export const MAX_WINDOW_BITS = 15;

/**
 * One permessage-deflate configuration the client offers (RFC 7692 §7.1). Every field is
 * optional; `{}` is the default offer `permessage-deflate; client_max_window_bits`.
 */
export interface PerMessageDeflateOffer {
  /**
   * Ask the server to compress every message with a fresh LZ77 context (RFC 7692 §7.1.1.1),
   * so the client's inflater need not keep a 32 KiB window between messages. Default false.
   */
  readonly serverNoContextTakeover?: boolean;
  /**
   * Declare that the client compresses every message with a fresh context (RFC 7692 §7.1.1.2),
   * trading compression ratio for memory on the server. Default false.
   */
  readonly clientNoContextTakeover?: boolean;
  /**
   * Largest LZ77 window the server may compress with, as log2 bytes, 8 to 15 (RFC 7692
   * §7.1.2.1). Default: not offered (the server uses up to 15, a 32 KiB window).
   */
  readonly serverMaxWindowBits?: number;
  /**
   * Window the client compresses with (RFC 7692 §7.1.2.2): `true` offers the parameter without
   * a value so the server may pick the client's window; a number 8 to 15 is the largest window
   * the client will use; `false` leaves the parameter out (the server cannot limit it). Default true.
   */
  readonly clientMaxWindowBits?: number | boolean;
}

/** The `perMessageDeflate` option: true/undefined is the default offer, false offers nothing. */
export type PerMessageDeflateOption = boolean | PerMessageDeflateOffer | readonly PerMessageDeflateOffer[];

/** What the server accepted (RFC 7692 §7.1), seen from the client. */
export interface PerMessageDeflateParams {
  /** The server starts every message with a fresh LZ77 context: the client's inflater resets per message. */
  readonly serverNoContextTakeover: boolean;
  /** The client must start every message it sends with a fresh LZ77 context. */
  readonly clientNoContextTakeover: boolean;
  /** The window the server compresses with (log2 bytes, 8 to 15); the client inflates with it. */
  readonly serverMaxWindowBits: number;
  /** The window the client must compress with (log2 bytes, 8 to 15). */
  readonly clientMaxWindowBits: number;
}

/** An offer with every default applied; what {@link formatPerMessageDeflateOffer} writes. */
export interface ResolvedPerMessageDeflateOffer {
  readonly serverNoContextTakeover: boolean;
  readonly clientNoContextTakeover: boolean;
  /** null: not offered. */
  readonly serverMaxWindowBits: number | null;
  /** true: offered without a value; false: not offered. */
  readonly clientMaxWindowBits: number | boolean;
}

function optionError(message: string): UsageError {
  return new UsageError('ERR_INVALID_OPTION', `Invalid perMessageDeflate option: ${message}`);
}

function isWindowBits(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_WINDOW_BITS && value <= MAX_WINDOW_BITS;
}

function resolveOffer(offer: unknown, position: string): ResolvedPerMessageDeflateOffer {
  if (typeof offer !== 'object' || offer === null) throw optionError(`${position} must be an object`);
  const known = new Set(['serverNoContextTakeover', 'clientNoContextTakeover', 'serverMaxWindowBits', 'clientMaxWindowBits']);
  for (const key of Object.keys(offer)) {
    if (!known.has(key)) throw optionError(`${position} has an unknown field "${key}"`);
  }
  const { serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits } = offer as Record<string, unknown>;
  if (serverNoContextTakeover !== undefined && typeof serverNoContextTakeover !== 'boolean') {
    throw optionError(`${position}.serverNoContextTakeover must be a boolean`);
  }
  if (clientNoContextTakeover !== undefined && typeof clientNoContextTakeover !== 'boolean') {
    throw optionError(`${position}.clientNoContextTakeover must be a boolean`);
  }
  if (serverMaxWindowBits !== undefined && !isWindowBits(serverMaxWindowBits)) {
    throw optionError(`${position}.serverMaxWindowBits must be an integer from 8 to 15, got ${String(serverMaxWindowBits)}`);
  }
  if (clientMaxWindowBits !== undefined && typeof clientMaxWindowBits !== 'boolean' && !isWindowBits(clientMaxWindowBits)) {
    throw optionError(`${position}.clientMaxWindowBits must be a boolean or an integer from 8 to 15, got ${String(clientMaxWindowBits)}`);
  }
  return {
    serverNoContextTakeover: serverNoContextTakeover ?? false,
    clientNoContextTakeover: clientNoContextTakeover ?? false,
    serverMaxWindowBits: serverMaxWindowBits ?? null,
    clientMaxWindowBits: clientMaxWindowBits ?? true,
  };
}

/**
 * Turns the `perMessageDeflate` option into the offers to send, in preference order
 * (RFC 7692 §5: a client may offer several configurations). `undefined` and `true` give the
 * default offer; `false` and `[]` give none (compression is not negotiated).
 *
 * @throws UsageError `ERR_INVALID_OPTION` for a field of the wrong type or a window outside 8 to 15.
 */
export function resolvePerMessageDeflateOffers(option: PerMessageDeflateOption | undefined): readonly ResolvedPerMessageDeflateOffer[] {
  if (option === undefined || option === true) return [resolveOffer({}, 'perMessageDeflate')];
  if (option === false) return [];
  if (Array.isArray(option)) return option.map((offer: unknown, index) => resolveOffer(offer, `perMessageDeflate[${index}]`));
  return [resolveOffer(option, 'perMessageDeflate')];
}

/**
 * The `Sec-WebSocket-Extensions` request value for the offers (RFC 7692 §5.1, §7.1), in
 * preference order; '' when there is none (send no header then).
 */
export function formatPerMessageDeflateOffer(offers: readonly ResolvedPerMessageDeflateOffer[]): string {
  return offers
    .map((offer) => {
      let text = PERMESSAGE_DEFLATE;
      if (offer.serverNoContextTakeover) text += '; server_no_context_takeover';
      if (offer.clientNoContextTakeover) text += '; client_no_context_takeover';
      if (offer.serverMaxWindowBits !== null) text += `; server_max_window_bits=${offer.serverMaxWindowBits}`;
      if (offer.clientMaxWindowBits === true) text += '; client_max_window_bits';
      else if (offer.clientMaxWindowBits !== false) text += `; client_max_window_bits=${offer.clientMaxWindowBits}`;
      return text;
    })
    .join(', ');
}

/** The answer's parameters, checked on their own (offer-independent rules). */
interface AnsweredParams {
  readonly serverNoContextTakeover: boolean;
  readonly clientNoContextTakeover: boolean;
  readonly serverMaxWindowBits: number | null;
  readonly clientMaxWindowBits: number | null;
}

function answerError(detail: string): HandshakeError {
  return new HandshakeError('ERR_HANDSHAKE_EXTENSION', `The server's permessage-deflate answer is invalid: ${detail}`);
}

/** RFC 7692 §7.1.2.1 / §7.1.2.2 value ABNF: `%x38-39 / "1" %x30-35`, so no sign, no leading zero. */
function parseWindowBits(param: ExtensionParam): number {
  const value = param.value;
  if (value === null) throw answerError(`${param.name} must have a value (RFC 7692 §7.1.2)`);
  if (!/^(?:[89]|1[0-5])$/.test(value)) {
    throw answerError(`${param.name}=${JSON.stringify(value)} is not a window size from 8 to 15 (RFC 7692 §7.1.2)`);
  }
  return Number(value);
}

function readAnswer(params: readonly ExtensionParam[]): AnsweredParams {
  const seen = new Set<string>();
  let serverNoContextTakeover = false;
  let clientNoContextTakeover = false;
  let serverMaxWindowBits: number | null = null;
  let clientMaxWindowBits: number | null = null;
  for (const param of params) {
    // RFC 7692 §7: a response with more than one instance of a parameter is invalid.
    if (seen.has(param.name)) throw answerError(`parameter ${param.name} appears more than once (RFC 7692 §7)`);
    seen.add(param.name);
    switch (param.name) {
      case 'server_no_context_takeover':
      case 'client_no_context_takeover':
        // RFC 7692 §7.1.1: both parameters have no value.
        if (param.value !== null)
          throw answerError(`${param.name} must not have a value, got ${JSON.stringify(param.value)} (RFC 7692 §7.1.1)`);
        if (param.name === 'server_no_context_takeover') serverNoContextTakeover = true;
        else clientNoContextTakeover = true;
        break;
      case 'server_max_window_bits':
        serverMaxWindowBits = parseWindowBits(param);
        break;
      case 'client_max_window_bits':
        clientMaxWindowBits = parseWindowBits(param);
        break;
      default:
        // RFC 7692 §7: an unknown parameter makes the response invalid.
        throw answerError(`unknown parameter ${param.name} (RFC 7692 §7)`);
    }
  }
  return { serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits };
}

/** Checks the answer against one offer: the reason it does not match, or the agreed parameters. */
function matchOffer(answer: AnsweredParams, offer: ResolvedPerMessageDeflateOffer): PerMessageDeflateParams | string {
  // RFC 7692 §7.1.1.1: a server accepts an offer with server_no_context_takeover by echoing it.
  if (offer.serverNoContextTakeover && !answer.serverNoContextTakeover) {
    return 'the offer has server_no_context_takeover but the answer does not (RFC 7692 §7.1.1.1)';
  }
  if (offer.serverMaxWindowBits !== null) {
    // RFC 7692 §7.1.2.1: accepted by answering with the same or a smaller value.
    if (answer.serverMaxWindowBits === null) {
      return `the offer has server_max_window_bits=${offer.serverMaxWindowBits} but the answer does not (RFC 7692 §7.1.2.1)`;
    }
    if (answer.serverMaxWindowBits > offer.serverMaxWindowBits) {
      return `server_max_window_bits=${answer.serverMaxWindowBits} is larger than the offered ${offer.serverMaxWindowBits} (RFC 7692 §7.1.2.1)`;
    }
  }
  if (answer.clientMaxWindowBits !== null) {
    // RFC 7692 §7.1.2.2: the server may only answer client_max_window_bits if the offer had it,
    // and never with a value larger than the offered one.
    if (offer.clientMaxWindowBits === false) {
      return 'the answer has client_max_window_bits but the offer does not (RFC 7692 §7.1.2.2)';
    }
    if (typeof offer.clientMaxWindowBits === 'number' && answer.clientMaxWindowBits > offer.clientMaxWindowBits) {
      return `client_max_window_bits=${answer.clientMaxWindowBits} is larger than the offered ${offer.clientMaxWindowBits} (RFC 7692 §7.1.2.2)`;
    }
  }
  return {
    serverNoContextTakeover: answer.serverNoContextTakeover,
    // RFC 7692 §7.1.1.2: the server may demand it unasked; having offered it, the client keeps its word.
    clientNoContextTakeover: answer.clientNoContextTakeover || offer.clientNoContextTakeover,
    // RFC 7692 §7.1.2.1: without the parameter the server may use a 32 KiB window.
    serverMaxWindowBits: answer.serverMaxWindowBits ?? MAX_WINDOW_BITS,
    // RFC 7692 §7.1.2.2: without an answer the client may use 15; an offered limit is kept.
    clientMaxWindowBits:
      answer.clientMaxWindowBits ?? (typeof offer.clientMaxWindowBits === 'number' ? offer.clientMaxWindowBits : MAX_WINDOW_BITS),
  };
}

/**
 * Validates the server's `Sec-WebSocket-Extensions` answer against the offers (RFC 7692 §5.1,
 * §7.1) and returns the agreed parameters, or null when the server accepted no extension.
 *
 * `answer` is the header value, one string per header line, or undefined when it was absent.
 * The answer must accept exactly one of the offers, and must hold no other extension.
 * With several offers the first one (in preference order) the answer is valid for is taken.
 *
 * @throws HandshakeError `ERR_HANDSHAKE_EXTENSION`: malformed header, an extension the client
 *   did not offer, permessage-deflate twice, a duplicate or unknown parameter, a bad value, or
 *   an answer that matches no offer.
 */
export function negotiatePerMessageDeflate(
  answer: string | readonly string[] | undefined,
  offers: readonly ResolvedPerMessageDeflateOffer[],
): PerMessageDeflateParams | null {
  if (answer === undefined) return null;
  const lines = typeof answer === 'string' ? [answer] : answer;
  // An empty header value carries no extension (lenient: RFC 6455 §9.1 asks for at least one).
  if (lines.every((line) => line.trim() === '')) return null;
  const extensions = parseExtensionsHeader(lines.filter((line) => line.trim() !== ''));

  const offered = offers.length > 0;
  for (const extension of extensions) {
    // RFC 6455 §9.1: the server may only answer with extensions the client asked for.
    if (extension.name !== PERMESSAGE_DEFLATE || !offered) {
      throw new HandshakeError(
        'ERR_HANDSHAKE_EXTENSION',
        `The server answered with extension ${JSON.stringify(extension.name)}, which the client did not offer (RFC 6455 §9.1)`,
      );
    }
  }
  // RFC 7692 §5: the server accepts at most one of the offered configurations.
  if (extensions.length > 1) {
    throw new HandshakeError(
      'ERR_HANDSHAKE_EXTENSION',
      `The server answered permessage-deflate ${extensions.length} times; it may accept only one offer (RFC 7692 §5)`,
    );
  }
  const [accepted] = extensions;
  if (accepted === undefined) return null;
  const answered = readAnswer(accepted.params);
  const reasons: string[] = [];
  for (const offer of offers) {
    const result = matchOffer(answered, offer);
    if (typeof result !== 'string') return result;
    reasons.push(result);
  }
  const detail =
    reasons.length === 1
      ? reasons[0]
      : `it matches none of the ${reasons.length} offers (${reasons.map((reason, index) => `offer ${index + 1}: ${reason}`).join('; ')})`;
  throw answerError(detail ?? 'no offer');
}
