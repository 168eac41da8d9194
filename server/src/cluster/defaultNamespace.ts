// A Service document without metadata.namespace lands in the kubeconfig context's namespace,
// as kubectl apply would put it. ClusterView has no field for that namespace, so the views
// built here carry it as `defaultNamespace` and checks read it through this one function;
// any other view (a test's fake) means `default`.

import type { ClusterView } from './clusterView';

export interface WithDefaultNamespace {
  /** The namespace kubectl would use for an object that names none. */
  readonly defaultNamespace: string;
}

export function defaultNamespaceOf(view: ClusterView): string {
  const ns = (view as Partial<WithDefaultNamespace>).defaultNamespace;
  return typeof ns === 'string' && ns ? ns : 'default';
}
