/**
 * IP addresses as 16 bytes, IPv4 stored IPv4-mapped (`::ffff:a.b.c.d`), so that an IPv4 rule and
 * an IPv4-mapped IPv6 peer compare equal, as Go's `net.IP` does.
 */
export type Ip16 = Uint8Array;

/** An address (prefix 128) or a network, both in the 16-byte space. */
export interface IpRange {
  readonly network: Ip16;
  readonly prefix: number;
}

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function parseV4(s: string): number[] | undefined {
  const m = V4.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : undefined;
}

function parseV6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const words: number[] = [];
    const pieces = part.split(':');
    for (let n = 0; n < pieces.length; n++) {
      const piece = pieces[n];
      if (last && n === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseV4(piece);
        if (!v4) return undefined;
        words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
        words.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return words;
  };
  const head = groups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1], true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** Parses an IPv4 or IPv6 address (no zone) into 16 bytes; undefined when it is not one. */
export function parseIp(text: string): Ip16 | undefined {
  const v4 = parseV4(text);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  if (!text.includes(':')) return undefined;
  const v6 = parseV6(text);
  return v6 ? Uint8Array.from(v6) : undefined;
}

/** Parses `ClientIP` arguments: an address or a CIDR network. Undefined when invalid. */
export function parseIpRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const network = parseIp(text);
    return network && { network, prefix: 128 };
  }
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(bits)) return undefined;
  const isV4 = parseV4(address) !== undefined;
  const network = parseIp(address);
  const length = Number(bits);
  if (!network || length > (isV4 ? 32 : 128)) return undefined;
  const prefix = isV4 ? 96 + length : length;
  return { network: maskTo(network, prefix), prefix };
}

function maskTo(ip: Ip16, prefix: number): Ip16 {
  const out = Uint8Array.from(ip);
  for (let bit = prefix; bit < 128; bit++) out[bit >> 3] &= ~(0x80 >> (bit & 7));
  return out;
}

/** Whether `ip` lies in `range`. */
export function ipInRange(ip: Ip16, range: IpRange): boolean {
  const full = range.prefix >> 3;
  for (let n = 0; n < full; n++) if (ip[n] !== range.network[n]) return false;
  const rest = range.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff00 >> rest) & 0xff;
  return (ip[full] & mask) === range.network[full];
}
