import Basics
import CLinux
import Glibc

/// How many processors this process can keep busy: the CPUs its affinity mask allows (taskset,
/// a container's `--cpuset-cpus`), fewer when its cgroup caps CPU time below that (cgroup v2
/// `cpu.max`: a container's `--cpus`, a pod's CPU limit), rounded up. Sizing thread counts by
/// the machine's processors instead gives a process held to one CPU two threads taking turns on
/// it, each connection waiting out the other thread's time slice.
public enum UsableProcessors {
    public static func count() -> Int {
        let allowed = affinityCount() ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let capped = (try? ProcFile.contents(of: "/proc/self/cgroup")).flatMap { cgroupLimit(membership: $0, root: "/sys/fs/cgroup") }
        return min(allowed, capped ?? allowed)
    }

    /// CPUs in this thread's affinity mask (the process's, when asked before any thread changes its own).
    static func affinityCount() -> Int? {
        var set = cpu_set_t()
        guard sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &set) == 0 else { return nil }
        let count = withUnsafeBytes(of: set) { bytes in bytes.reduce(0) { $0 + $1.nonzeroBitCount } }
        return count > 0 ? count : nil
    }

    /// The tightest `cpu.max` quota, in whole processors rounded up, of the cgroup v2 named in
    /// `membership` (/proc/self/cgroup's text) and its ancestors under `root`; nil when none is set
    /// or the process is not in a v2 hierarchy.
    static func cgroupLimit(membership: [UInt8], root: String) -> Int? {
        // The v2 line is "0::/path"; v1 lines name their controllers between the colons.
        let prefix = Array("0::".utf8)
        guard let line = membership.split(separator: UInt8(ascii: "\n")).first(where: { $0.starts(with: prefix) }) else { return nil }
        var path = String(decoding: line.dropFirst(prefix.count), as: UTF8.self)
        var tightest: Int?
        while true {
            if let text = try? ProcFile.contents(of: root + path + "/cpu.max"), let limit = processors(cpuMax: text) {
                tightest = min(tightest ?? limit, limit)
            }
            guard let slash = path.lastIndex(of: "/"), path != "/" else { return tightest }
            path = slash == path.startIndex ? "/" : String(path[..<slash])
        }
    }

    /// `cpu.max`'s "QUOTA PERIOD" (microseconds) as whole processors rounded up; nil for "max"
    /// (no cap) or text that is not two numbers.
    static func processors(cpuMax text: [UInt8]) -> Int? {
        let fields = text.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
        guard fields.count == 2, let quota = ASCII.decimal(fields[0], as: UInt64.self),
              let period = ASCII.decimal(fields[1], as: UInt64.self), period > 0 else { return nil }
        return Int(clamping: max(1, quota / period + (quota % period == 0 ? 0 : 1)))
    }
}
