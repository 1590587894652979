/// The style libyaml's emitter writes a value of a block mapping in, given the
/// style it was asked for: a port of `yaml_emitter_analyze_scalar` and
/// `yaml_emitter_select_scalar_style` (libyaml 0.2.5, src/emitter.c) for the one
/// context the identity file has (a block mapping's value, no tag, both implicit
/// flags set, not canonical, unicode on). The direct writer must pick the style
/// libyaml would, or its bytes differ: a "plain" name with an emoji, for one,
/// comes out double-quoted (libyaml does not print characters beyond U+FFFF).
enum ScalarStyle: Sendable, Equatable {
    case plain, singleQuoted, doubleQuoted
}

/// What the analysis found, as far as the writers need it.
struct EmittedScalar {
    var style: ScalarStyle
    /// A line break (LF, CR, NEL, LS, PS) in the value: libyaml's `multiline`.
    var hasLineBreak: Bool
}

/// libyaml's character classes, over UTF-8 bytes; a read past the end is the
/// NUL that terminates libyaml's copy of the value (which its checks rely on).
struct YAMLBytes {
    let bytes: UnsafeBufferPointer<UInt8>

    subscript(_ index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }

    /// `WIDTH_AT`: the length of the UTF-8 sequence starting here.
    func width(_ index: Int) -> Int {
        let octet = self[index]
        if octet & 0x80 == 0 { return 1 }
        if octet & 0xE0 == 0xC0 { return 2 }
        if octet & 0xF0 == 0xE0 { return 3 }
        if octet & 0xF8 == 0xF0 { return 4 }
        return 0
    }

    /// `IS_BREAK_AT`: CR, LF, NEL, LS, PS.
    func isBreak(_ index: Int) -> Bool {
        let octet = self[index]
        return octet == 0x0D || octet == 0x0A
            || (octet == 0xC2 && self[index + 1] == 0x85)
            || (octet == 0xE2 && self[index + 1] == 0x80 && (self[index + 2] == 0xA8 || self[index + 2] == 0xA9))
    }

    /// `IS_BLANKZ_AT`: space, tab, a break, or the end.
    func isBlankOrBreakOrEnd(_ index: Int) -> Bool {
        let octet = self[index]
        return octet == 0x20 || octet == 0x09 || octet == 0 || isBreak(index)
    }

    /// `IS_BOM_AT`: U+FEFF.
    func isBOM(_ index: Int) -> Bool {
        self[index] == 0xEF && self[index + 1] == 0xBB && self[index + 2] == 0xBF
    }

    /// `IS_PRINTABLE_AT`: LF, 0x20-0x7E, U+00A0-U+D7FF, U+E000-U+FFFD without
    /// U+FEFF. Nothing of four bytes (U+10000 and above) is printable to libyaml.
    func isPrintable(_ index: Int) -> Bool {
        let octet = self[index]
        switch octet {
        case 0x0A, 0x20...0x7E: return true
        case 0xC2: return self[index + 1] >= 0xA0
        case 0xC3..<0xED, 0xEE: return true
        case 0xED: return self[index + 1] < 0xA0
        case 0xEF:
            let second = self[index + 1], third = self[index + 2]
            return !(second == 0xBB && third == 0xBF) && !(second == 0xBF && (third == 0xBE || third == 0xBF))
        default: return false
        }
    }
}

extension YAMLBytes {
    /// The style libyaml emits this value in when asked for `requested`.
    func emitted(requested: ScalarStyle) -> EmittedScalar {
        isPlainWord ? EmittedScalar(style: requested, hasLineBreak: false) : analyzed(requested: requested)
    }

    /// A value of ASCII letters and digits that starts with one, with `-`, `_`, `.`, `/`, `+`,
    /// a space before anything but the end, or `:` before anything but a space or the end
    /// (a slug, a date, most names): it holds no indicator, break, special character or
    /// leading or trailing space, so libyaml writes it in the style asked for. `analyzed`
    /// answers the same (a test holds it); this answers most of an identity file's values in
    /// one pass of compares.
    var isPlainWord: Bool {
        let count = bytes.count
        guard count > 0, Self.isLetterOrDigit(bytes[0]) else { return false }
        var index = 1
        while index < count {
            let octet = bytes[index]
            switch octet {
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "+"):
                break
            case UInt8(ascii: " "):
                if index == count - 1 { return false }
            case UInt8(ascii: ":"):
                if index == count - 1 || bytes[index + 1] == UInt8(ascii: " ") { return false }
            default:
                if !Self.isLetterOrDigit(octet) { return false }
            }
            index += 1
        }
        return true
    }

    private static func isLetterOrDigit(_ octet: UInt8) -> Bool {
        (octet >= UInt8(ascii: "a") && octet <= UInt8(ascii: "z")) || (octet >= UInt8(ascii: "A") && octet <= UInt8(ascii: "Z"))
            || (octet >= UInt8(ascii: "0") && octet <= UInt8(ascii: "9"))
    }

    /// `yaml_emitter_analyze_scalar` and `yaml_emitter_select_scalar_style` for any value.
    func analyzed(requested: ScalarStyle) -> EmittedScalar {
        let count = bytes.count
        // An empty value: plain is allowed in a block context, so is single-quoted.
        guard count > 0 else { return EmittedScalar(style: requested, hasLineBreak: false) }
        var blockIndicators = (self[0] == 0x2D && self[1] == 0x2D && self[2] == 0x2D)
            || (self[0] == 0x2E && self[1] == 0x2E && self[2] == 0x2E)
        var lineBreaks = false, special = false
        var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false
        var precededByWhitespace = true
        var followedByWhitespace = isBlankOrBreakOrEnd(width(0))
        var previousSpace = false, previousBreak = false
        var index = 0
        while index < count {
            let octet = self[index]
            if index == 0 {
                switch octet {
                case UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                     UInt8(ascii: "}"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
                     UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
                     UInt8(ascii: "`"):
                    blockIndicators = true
                case UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "-"):
                    if followedByWhitespace { blockIndicators = true }
                default:
                    break
                }
            } else if (octet == UInt8(ascii: ":") && followedByWhitespace)
                        || (octet == UInt8(ascii: "#") && precededByWhitespace) {
                blockIndicators = true
            }
            if !isPrintable(index) { special = true }
            let isBreakHere = isBreak(index)
            let width = width(index)
            if octet == 0x20 {
                if index == 0 { leadingSpace = true }
                if index + width == count { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if isBreakHere {
                lineBreaks = true
                if index == 0 { leadingBreak = true }
                if index + width == count { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = isBlankOrBreakOrEnd(index)
            index += max(width, 1)  // a String is valid UTF-8; never stall all the same
            if index < count { followedByWhitespace = isBlankOrBreakOrEnd(index + self.width(index)) }
        }
        let singleQuotedAllowed = !breakSpace && !spaceBreak && !special
        let blockPlainAllowed = singleQuotedAllowed && !leadingSpace && !leadingBreak && !trailingSpace
            && !trailingBreak && !lineBreaks && !blockIndicators
        var style = requested
        if style == .plain && !blockPlainAllowed { style = .singleQuoted }
        if style == .singleQuoted && !singleQuotedAllowed { style = .doubleQuoted }
        return EmittedScalar(style: style, hasLineBreak: lineBreaks)
    }
}
