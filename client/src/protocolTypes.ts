// The parameter and result types of the language server's custom requests, named for the
// client's use. They are read off the request constants in server/src/protocol.ts, so the two
// sides cannot drift apart.

import type { RequestType } from 'vscode-languageserver-protocol';
import type { CallServiceRequest, ResolveNameRequest, TrafficTestRequest } from '../../server/src/protocol';

export type ParamsOf<T> = T extends RequestType<infer P, infer _R, infer _E> ? P : never;
export type ResultOf<T> = T extends RequestType<infer _P, infer R, infer _E> ? R : never;

export type ResolveNameParams = ParamsOf<typeof ResolveNameRequest>;
export type ResolveNameResult = ResultOf<typeof ResolveNameRequest>;
export type CallServiceResult = ResultOf<typeof CallServiceRequest>;
export type TrafficTestResult = ResultOf<typeof TrafficTestRequest>;
