extension String {
    /// Whether this string sorts before `other` by their UTF-8 bytes: the order of `ls`
    /// under `LC_ALL=C`, the same on every machine whatever its locale (what reports and
    /// plans are sorted by, so that their output is stable).
    func precedesInByteOrder(_ other: String) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }
}
