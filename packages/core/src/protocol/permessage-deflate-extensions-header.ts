import { HandshakeError } from './errors.js';

/**
 * The `Sec-WebSocket-Extensions` header grammar of RFC 6455 §9.1, which permessage-deflate
 * (RFC 7692 §5) is negotiated through:
 *
 * ```
 * extension-list  = 1#extension
 * extension       = extension-token *( ";" extension-param )
 * extension-param = token [ "=" ( token | quoted-string ) ]
 *     ; a quoted-string value, once unescaped, MUST conform to the token ABNF
 * ```
 *
 * Whitespace (SP, HTAB) is accepted around every separator, as RFC 2616's implied *LWS allows;
 * empty list elements (`a, , b`) are accepted as RFC 7230 §7 requires of recipients.
 */

/** One `name[=value]` parameter of an extension. */
export interface ExtensionParam {
  readonly name: string;
  /** The value with any quoting removed, or null when the parameter has no value. */
  readonly value: string | null;
}

/** One extension of the list, with its parameters in the order they appeared. */
export interface ExtensionElement {
  readonly name: string;
  readonly params: readonly ExtensionParam[];
}

const SP = 0x20;
const HTAB = 0x09;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/** RFC 7230 §3.2.6 tchar: `!#$%&'*+-.^_\`|~`, DIGIT, ALPHA. */
function isTokenChar(code: number): boolean {
  if (code >= 0x30 && code <= 0x39) return true; // DIGIT
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return true; // ALPHA
  switch (code) {
    case 0x21:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x27:
    case 0x2a:
    case 0x2b:
    case 0x2d:
    case 0x2e:
    case 0x5e:
    case 0x5f:
    case 0x60:
    case 0x7c:
    case 0x7e:
      return true;
    default:
      return false;
  }
}

/** True when `value` is a non-empty RFC 7230 token. */
export function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let index = 0; index < value.length; index += 1) {
    if (!isTokenChar(value.charCodeAt(index))) return false;
  }
  return true;
}

function describeChar(code: number): string {
  return code >= 0x21 && code <= 0x7e ? `"${String.fromCharCode(code)}"` : `0x${code.toString(16).padStart(2, '0')}`;
}

/** Hand-written scanner: one pass, every failure names the offending character and its index. */
class ExtensionsHeaderScanner {
  private index = 0;

  constructor(private readonly text: string) {}

  parse(): ExtensionElement[] {
    const elements: ExtensionElement[] = [];
    for (;;) {
      this.skipWhitespace();
      if (this.atEnd()) break;
      if (this.peek() === COMMA) {
        // RFC 7230 §7: empty list elements are accepted and do not count.
        this.index += 1;
        continue;
      }
      elements.push(this.extension());
      this.skipWhitespace();
      if (this.atEnd()) break;
      this.expect(COMMA, 'a "," between extensions');
    }
    if (elements.length === 0) throw this.error('the header lists no extension');
    return elements;
  }

  private extension(): ExtensionElement {
    const name = this.token('an extension name');
    const params: ExtensionParam[] = [];
    for (;;) {
      this.skipWhitespace();
      if (this.atEnd() || this.peek() === COMMA) break;
      this.expect(SEMICOLON, `";" or "," after extension "${name}"`);
      this.skipWhitespace();
      params.push(this.param());
    }
    return { name, params };
  }

  private param(): ExtensionParam {
    const name = this.token('a parameter name');
    this.skipWhitespace();
    if (this.atEnd() || this.peek() !== EQUALS) return { name, value: null };
    this.index += 1;
    this.skipWhitespace();
    if (!this.atEnd() && this.peek() === DQUOTE) {
      const start = this.index;
      const value = this.quotedString();
      // RFC 6455 §9.1: the unescaped value of a quoted-string MUST conform to the token ABNF.
      if (!isToken(value)) {
        throw this.error(`the quoted value of parameter "${name}" at index ${start} is not a token once unquoted`);
      }
      return { name, value };
    }
    return { name, value: this.token(`a value for parameter "${name}"`) };
  }

  private token(what: string): string {
    const start = this.index;
    while (!this.atEnd() && isTokenChar(this.peek())) this.index += 1;
    if (this.index === start) {
      throw this.error(
        this.atEnd()
          ? `expected ${what}, found the end of the header`
          : `expected ${what}, found ${describeChar(this.peek())} at index ${this.index}`,
      );
    }
    return this.text.slice(start, this.index);
  }

  /** RFC 7230 §3.2.6 quoted-string, returning the unescaped content. */
  private quotedString(): string {
    const start = this.index;
    this.index += 1; // the opening DQUOTE
    let value = '';
    for (;;) {
      if (this.atEnd()) throw this.error(`unterminated quoted-string starting at index ${start}`);
      const code = this.peek();
      if (code === DQUOTE) {
        this.index += 1;
        return value;
      }
      if (code === BACKSLASH) {
        this.index += 1;
        if (this.atEnd()) throw this.error(`unterminated quoted-pair in the quoted-string starting at index ${start}`);
        const escaped = this.peek();
        if (!isQuotedPairChar(escaped)) throw this.error(`invalid quoted-pair ${describeChar(escaped)} at index ${this.index}`);
        value += String.fromCharCode(escaped);
        this.index += 1;
        continue;
      }
      if (!isQdText(code)) throw this.error(`invalid character ${describeChar(code)} in a quoted-string at index ${this.index}`);
      value += String.fromCharCode(code);
      this.index += 1;
    }
  }

  private expect(code: number, what: string): void {
    if (this.atEnd()) throw this.error(`expected ${what}, found the end of the header`);
    if (this.peek() !== code) throw this.error(`expected ${what}, found ${describeChar(this.peek())} at index ${this.index}`);
    this.index += 1;
  }

  private skipWhitespace(): void {
    while (!this.atEnd() && (this.peek() === SP || this.peek() === HTAB)) this.index += 1;
  }

  private atEnd(): boolean {
    return this.index >= this.text.length;
  }

  private peek(): number {
    return this.text.charCodeAt(this.index);
  }

  private error(detail: string): HandshakeError {
    return new HandshakeError('ERR_HANDSHAKE_EXTENSION', `Invalid Sec-WebSocket-Extensions header ${JSON.stringify(this.text)}: ${detail}`);
  }
}

/** qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 7230 §3.2.6). */
function isQdText(code: number): boolean {
  return (
    code === HTAB ||
    code === SP ||
    code === 0x21 ||
    (code >= 0x23 && code <= 0x5b) ||
    (code >= 0x5d && code <= 0x7e) ||
    (code >= 0x80 && code <= 0xff)
  );
}

/** quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) (RFC 7230 §3.2.6). */
function isQuotedPairChar(code: number): boolean {
  return code === HTAB || code === SP || (code >= 0x21 && code <= 0x7e) || (code >= 0x80 && code <= 0xff);
}

/**
 * Parses a `Sec-WebSocket-Extensions` value (RFC 6455 §9.1). Several header lines are one list
 * joined by commas (RFC 6455 §9.1, RFC 7230 §3.2.2): pass them as an array.
 *
 * @throws HandshakeError `ERR_HANDSHAKE_EXTENSION` naming the first offending character.
 */
export function parseExtensionsHeader(value: string | readonly string[]): ExtensionElement[] {
  const text = typeof value === 'string' ? value : value.join(', ');
  return new ExtensionsHeaderScanner(text).parse();
}
