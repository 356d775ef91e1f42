// Command inventory will turn stock movements into a table of stock levels per item; it needs
// the state stores and tables of the state issue and is empty until then.
package main
