// The one error type the emulator client code throws for a failure the user can act on
// ("no emulator is running for state dir ..."). The code here serves both the `ksl` CLI and
// the language server, and neither front end's error type belongs in it: each maps this one
// to its own (the CLI to its exit codes, the server to an LSP request failure).

export class EmulatorClientError extends Error {}
