import Foundation
@testable import HostState
import Testing
import TestSupport

struct UsableProcessorsTests {
    @Test func cpuMaxIsWholeProcessorsRoundedUp() {
        #expect(UsableProcessors.processors(cpuMax: Array("max 100000\n".utf8)) == nil)
        #expect(UsableProcessors.processors(cpuMax: Array("100000 100000\n".utf8)) == 1)
        #expect(UsableProcessors.processors(cpuMax: Array("150000 100000\n".utf8)) == 2)
        #expect(UsableProcessors.processors(cpuMax: Array("20000 100000\n".utf8)) == 1)
        #expect(UsableProcessors.processors(cpuMax: Array("400000 100000".utf8)) == 4)
        #expect(UsableProcessors.processors(cpuMax: Array("18446744073709551615 1\n".utf8)) == Int.max)
        #expect(UsableProcessors.processors(cpuMax: Array("100000 0\n".utf8)) == nil)
        #expect(UsableProcessors.processors(cpuMax: Array("100000\n".utf8)) == nil)
        #expect(UsableProcessors.processors(cpuMax: Array("".utf8)) == nil)
    }

    /// The tightest quota on the way from the process's cgroup to the root counts; v1 lines and
    /// cgroups without a cpu.max file do not.
    @Test func cgroupLimitIsTheTightestQuotaUpTheHierarchy() throws {
        let root = TemporaryDirectory()
        for (path, cpuMax) in [("kubepods", "350000 100000\n"), ("kubepods/pod1", "max 100000\n"), ("kubepods/pod1/app", "250000 100000\n")] {
            try FileManager.default.createDirectory(atPath: root.path(path), withIntermediateDirectories: true)
            root.write("\(path)/cpu.max", cpuMax)
        }
        try FileManager.default.createDirectory(atPath: root.path("kubepods/pod1/app/uncapped"), withIntermediateDirectories: true)
        let base = root.url.path
        let membership = { (line: String) in Array("4:memory:/elsewhere\n\(line)\n".utf8) }
        #expect(UsableProcessors.cgroupLimit(membership: membership("0::/kubepods/pod1/app"), root: base) == 3)
        #expect(UsableProcessors.cgroupLimit(membership: membership("0::/kubepods/pod1/app/uncapped"), root: base) == 3)
        #expect(UsableProcessors.cgroupLimit(membership: membership("0::/kubepods/pod1"), root: base) == 4)
        #expect(UsableProcessors.cgroupLimit(membership: membership("0::/kubepods"), root: base) == 4)
        #expect(UsableProcessors.cgroupLimit(membership: membership("0::/"), root: base) == nil)
        #expect(UsableProcessors.cgroupLimit(membership: Array("4:memory:/kubepods\n1:cpu:/kubepods\n".utf8), root: base) == nil)
    }
}
