"""The core: what every layer shares and nothing else (names, the data contract, paths, errors, the
environment model, SQL rendering and checking, the ledger's columns). It imports no other layer."""
