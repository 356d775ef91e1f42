// Package archtest holds tests of the repository's structure: the import direction of
// DESIGN.md (cmd -> server -> sql -> dsl -> runtime -> statestore) and the rule that
// foreign frameworks stay in one package each. It has no code of its own.
package archtest
