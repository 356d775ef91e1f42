package functions

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

func TestStrMask(t *testing.T) {
	strRun(t, "MASK", strS, []strCase{
		{args: []any{"AbCd#$123xy Z"}, want: "XxXx--nnnxx-X"},
		{args: []any{""}, want: ""},
		{args: []any{nil}, want: nil},
		{args: []any{"Éé٣"}, want: "Xxn"},
		{args: []any{"AbCd#$123xy Z", "Q", "q", "9", "@"}, want: "QqQq@@999qq@Q"},
		{name: "null masks keep", args: []any{"AbCd#$123xy Z", nil, "q", nil, nil}, want: "AqCq#$123qq Z"},
		{name: "first char of mask", args: []any{"Ab1", "UV", "😀x", "#", "-"}, want: "U😀#"},
		{name: "empty mask", args: []any{"Ab1", "", "x", "n", "-"}, err: "empty"},
	})
	si := strTypes(types.STRING, types.INT, types.STRING)
	strRun(t, "MASK_KEEP_LEFT", si, []strCase{
		{args: []any{"AbCd#$123xy Z", int32(5)}, want: "AbCd#-nnnxx-X"},
		{args: []any{"AbCd#$123xy Z", int32(100)}, want: "AbCd#$123xy Z"},
		{args: []any{"AbCd#$123xy Z", int32(0)}, want: "XxXx--nnnxx-X"},
		{args: []any{"AbCd#$123xy Z", int32(5), "Q", "q", "9", "@"}, want: "AbCd#@999qq@Q"},
		{args: []any{"Ab", int32(-1)}, err: "function mask_keep_left requires a non-negative number of characters not to mask"},
		{args: []any{nil, int32(-1)}, err: "non-negative"},
		{args: []any{nil, int32(2)}, want: nil},
		{args: []any{"Ab", nil}, want: nil},
	})
	strRun(t, "MASK_KEEP_RIGHT", si, []strCase{
		{args: []any{"AbCd#$123xy Z", int32(5)}, want: "XxXx--nn3xy Z"},
		{args: []any{"AbCd#$123xy Z", int32(100)}, want: "AbCd#$123xy Z"},
		{args: []any{"AbCd#$123xy Z", int32(5), "Q", "q", "9", "@"}, want: "QqQq@@993xy Z"},
		{args: []any{"Ab", int32(-1)}, err: "function mask_keep_right requires a non-negative number of characters not to mask"},
	})
	strRun(t, "MASK_LEFT", si, []strCase{
		{args: []any{"AbCd#$123xy Z", int32(5)}, want: "XxXx-$123xy Z"},
		{args: []any{"AbCd#$123xy Z", int32(100)}, want: "XxXx--nnnxx-X"},
		{args: []any{"AbCd#$123xy Z", int32(5), "Q", "q", "9", "@"}, want: "QqQq@$123xy Z"},
		{args: []any{"Ab", int32(-1)}, err: "function mask_left requires a non-negative number of characters to mask"},
	})
	strRun(t, "MASK_RIGHT", si, []strCase{
		{args: []any{"AbCd#$123xy Z", int32(5)}, want: "AbCd#$12nxx-X"},
		{args: []any{"AbCd#$123xy Z", int32(0)}, want: "AbCd#$123xy Z"},
		{args: []any{"AbCd#$123xy Z", int32(5), "Q", "q", "9", "@"}, want: "AbCd#$129qq@Q"},
		{args: []any{"Ab", int32(-1)}, err: "function mask_right requires a non-negative number of characters to mask"},
	})
}
