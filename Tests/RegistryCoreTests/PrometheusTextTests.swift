import Testing
@testable import RegistryCore

/// The metrics file's text (`PrometheusText`): numbers as Prometheus reads them, label values
/// that need no escaping.
@Suite struct PrometheusTextTests {
    @Test(arguments: [(0.0, "0"), (1, "1"), (2.5, "2.5"), (0.0005, "0.0005"), (1.9999999, "2"), (0.00000049, "0"),
                      (12.345678, "12.345678"), (-0.25, "-0.25")])
    func numbersAreWrittenWithoutATrailingPointOrZeros(_ value: Double, _ text: String) {
        #expect(PrometheusText.decimal(value) == text)
    }

    @Test func labelValuesAreFixedNamesNeedingNoEscape() {
        let text = PrometheusText.render(status: ServiceStatus(pid: 1, startedAt: "2026-12-07T00:00:00Z", tree: "/t\"\\\n"),
                                         counters: DaemonCounters())
        let values = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.flatMap { line in
            line.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        }
        #expect(!values.isEmpty)
        let plain = Set("abcdefghijklmnopqrstuvwxyz_0123456789.+I")
        for value in values {
            #expect(value.allSatisfy(plain.contains), "label value \(value) would need escaping")
        }
        #expect(!text.contains("/t"), "the tree's path is not a label")
    }
}
