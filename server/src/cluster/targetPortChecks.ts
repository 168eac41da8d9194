// Each Service port's targetPort against the container ports of the pods the selector picks.
// A named targetPort resolves per pod through the containers' declared ports (name and
// protocol must both match, as the endpoints controller's FindPort requires), so a name that
// no selected pod declares leaves the port without endpoints: a warning. A number needs no
// declaration to work, so one that no container declares is only worth a note.

import type { Finding } from '../features/finding';
import { editDistance } from './labelDistance';
import { listText, selectedPods, type PodOrigin } from './findingWording';
import type { ServiceDoc, ServicePortDoc } from './serviceDocument';
import type { ContainerPort, Pod } from '../validation/kubeTypes';

interface Declared {
  name: string | undefined;
  port: number;
  protocol: string;
}

function declaredPorts(pods: readonly Pod[]): Declared[] {
  const seen = new Map<string, Declared>();
  for (const pod of pods) {
    const containers = Array.isArray(pod.spec?.containers) ? pod.spec.containers : [];
    for (const c of containers) {
      const ports: ContainerPort[] = Array.isArray(c?.ports) ? c.ports : [];
      for (const p of ports) {
        if (typeof p?.containerPort !== 'number') continue;
        const d: Declared = { name: typeof p.name === 'string' && p.name ? p.name : undefined, port: p.containerPort, protocol: p.protocol || 'TCP' };
        seen.set(`${d.name ?? ''}/${d.port}/${d.protocol}`, d);
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || (a.name ?? '').localeCompare(b.name ?? ''));
}

function declaredText(declared: readonly Declared[], matched: number): string {
  const they = matched === 1 ? 'it declares' : 'they declare';
  if (declared.length === 0) return `${they} no ports`;
  return `${they} ${listText(declared.map((d) => `${d.port}/${d.protocol}${d.name ? ` (${d.name})` : ''}`), 5)}`;
}

function namedTargetFinding(port: ServicePortDoc, name: string, declared: Declared[], matched: number, origin: PodOrigin): Finding | undefined {
  if (declared.some((d) => d.name === name && d.protocol === port.protocol)) return undefined;
  const path = ['spec', 'ports', port.index, 'targetPort'];
  const code = 'ksl/target-port-name-not-declared';
  const otherProtocols = [...new Set(declared.filter((d) => d.name === name).map((d) => d.protocol))];
  if (otherProtocols.length > 0) {
    return {
      path,
      on: 'value',
      severity: 'warning',
      code,
      message: `${selectedPods(matched, origin)} ${matched === 1 ? 'declares' : 'declare'} "${name}" only for ${otherProtocols.join(', ')}, not for ${port.protocol}`,
    };
  }
  const names = [...new Set(declared.filter((d) => d.name && d.protocol === port.protocol).map((d) => d.name as string))];
  const suggestion = names
    .map((n) => ({ n, d: editDistance(name, n) }))
    .filter((c) => c.d <= Math.max(1, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))[0];
  const finding: Finding = {
    path,
    on: 'value',
    severity: 'warning',
    code,
    message: `no container of ${selectedPods(matched, origin)} declares a port named "${name}"; ${declaredText(declared, matched)}`,
  };
  if (suggestion) finding.data = { suggestedValue: suggestion.n };
  return finding;
}

function numericTargetFinding(port: ServicePortDoc, target: number, declared: Declared[], matched: number, origin: PodOrigin): Finding | undefined {
  if (declared.some((d) => d.port === target && d.protocol === port.protocol)) return undefined;
  // A targetPort left to defaulting equals the port; the note then belongs on the port itself.
  const path = port.targetPort === undefined ? ['spec', 'ports', port.index, 'port'] : ['spec', 'ports', port.index, 'targetPort'];
  return {
    path,
    on: 'value',
    severity: 'information',
    code: 'ksl/target-port-not-declared',
    message: `no container of ${selectedPods(matched, origin)} declares port ${target}/${port.protocol}; ${declaredText(declared, matched)}`,
  };
}

/** Notes on every port whose target the selected pods do not declare. `matched` must be non-empty. */
export function targetPortFindings(svc: ServiceDoc, matched: readonly Pod[], origin: PodOrigin): Finding[] {
  if (matched.length === 0) return [];
  const declared = declaredPorts(matched);
  const out: Finding[] = [];
  for (const port of svc.ports) {
    const target = port.targetPort ?? port.port;
    if (target === undefined) continue;
    const f =
      typeof target === 'string'
        ? namedTargetFinding(port, target, declared, matched.length, origin)
        : numericTargetFinding(port, target, declared, matched.length, origin);
    if (f) out.push(f);
  }
  return out;
}
