// dig's side of a DNS exchange with the emulator's DNS server: its defaults (5 s per try, 3
// tries over UDP, EDNS with a 1232-byte payload, TCP for a truncated answer), how it reads the
// address of `-x`, and its words and exit code 9 when the exchange fails.

import type { RecordType } from 'dns-packet';
import {
  DnsExchangeError,
  exchange,
  type DnsExchange,
  type DnsServerAddress,
  type ExchangePolicy,
} from '../../../server/src/emulatorClient/dnsExchange';
import type { ReverseNameRules } from '../../../server/src/emulatorClient/reverseName';
import { CliError } from './options';

const DIG_POLICY: ExchangePolicy = { timeoutMs: 5000, udpTries: 3, tcpTimeoutMs: 5000, ednsUdpSize: 1232, persist: false };

/** dig -x reverses IPv6 addresses too, and any four dotted numbers. */
export const DIG_REVERSE: ReverseNameRules = { ipv6: true, strictIPv4: false };

function digFailure(err: DnsExchangeError): CliError {
  const at = `${err.server.host}#${err.server.port}`;
  switch (err.failure) {
    case 'socket':
      return new CliError(`;; communications error to ${at}: ${err.detail}`, 9);
    case 'silent':
      return new CliError(`;; communications error to ${at}: timed out\n;; no servers could be reached`, 9);
    case 'malformed':
      return new CliError(`;; Got bad packet: ${err.size} bytes from ${at}`, 9);
  }
}

/** Asks `server` one question as dig does; a failed exchange is dig's message with exit code 9. */
export async function digExchange(server: DnsServerAddress, name: string, type: RecordType, tcp = false): Promise<DnsExchange> {
  try {
    return await exchange(server, name, type, DIG_POLICY, { tcp });
  } catch (err) {
    throw err instanceof DnsExchangeError ? digFailure(err) : err;
  }
}
