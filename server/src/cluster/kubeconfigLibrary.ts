// The one piece of @kubernetes/client-node the project uses: KubeConfig (contexts, TLS and
// every auth method client-node supports). It is bundled on its own as dist/kubeconfig.js,
// because the library pulls in its whole generated API client; the server and the CLI load it
// only when a kubeconfig is actually read (scripts/build.mjs points their imports here).

export { KubeConfig } from '@kubernetes/client-node';
