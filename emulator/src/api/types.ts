// The emulator speaks the same object shapes as the apiserver rules it shares with the
// language server, so the types live with those rules and are re-exported here.
export type * from '../../../server/src/validation/kubeTypes';
