/// The hosts of a connection attempt, as libpq parsed them (`PQconninfo`), and
/// the attempt that starts at a later host: what the asynchronous connect needs
/// to give each host its own `connect_timeout`, as libpq's blocking connect does.
/// libpq offers no call to abandon the host it is waiting on and move to the
/// next, so a host that times out is left by starting over with the list
/// after it, every other setting unchanged.
struct ConnectionHostList {
    /// The attempt's options as libpq parsed them (`ConnectionParameters(inEffectOn:)`).
    let parameters: ConnectionParameters
    /// libpq's rule (`connectOptions2`): `hostaddr` decides the number of hosts
    /// when set, else `host`; a single `port` applies to every host.
    let count: Int

    init(_ parameters: ConnectionParameters) {
        self.parameters = parameters
        let hostaddr = parameters["hostaddr"] ?? ""
        count = Self.elements(hostaddr.isEmpty ? parameters["host"] ?? "" : hostaddr).count
    }

    /// Which host `host` and `port` (from `PQhost`/`PQport`) name, searching
    /// from `start`: libpq may skip several hosts in one step (a name that
    /// does not resolve), so the first match at or after `start` is it.
    func index(host: String, port: String, from start: Int) -> Int {
        guard start < count else { return start }
        for index in start..<count {
            // PQhost gives the host name when there is one, else the address.
            let name = element("host", index).isEmpty ? element("hostaddr", index) : element("host", index)
            if name == host && element("port", index) == port { return index }
        }
        return start
    }

    /// The parameters of an attempt at the hosts after `index` (`nil` when it
    /// was the last); the `dbname` they carry is already a plain name, so the
    /// attempt is started without expanding it.
    func after(_ index: Int) -> ConnectionParameters? {
        guard index + 1 < count else { return nil }
        var next = parameters
        for (position, keyword) in next.keywords.enumerated() where ["host", "hostaddr", "port"].contains(keyword) {
            let elements = Self.elements(next.values[position])
            if elements.count == count { next.values[position] = elements[(index + 1)...].joined(separator: ",") }
        }
        return next
    }

    /// The `index`th element of a list, or its only one (a single port serves every host).
    private func element(_ keyword: String, _ index: Int) -> String {
        let elements = Self.elements(parameters[keyword] ?? "")
        return elements.count == count ? elements[index] : elements[0]
    }

    /// A comma-separated libpq list (an empty value is one empty element, as libpq counts it).
    private static func elements(_ value: String) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}
