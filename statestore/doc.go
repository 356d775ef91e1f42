// Package statestore holds ksqlgo's state stores: Badger-backed key-value, window and session
// stores whose writes are also sent to changelog topics (see DESIGN.md, "State stores").
//
// Nothing lands here yet: the state issue fills it. It may import only the standard library,
// Badger and serde; runtime implements the small interfaces it declares.
package statestore
