import Foundation
import Testing

/// What some tests need of the machine, each said once. A test is skipped for one of these when
/// the machine lacks it, which says nothing about portinfo; skipped rather than passed, so that a
/// run elsewhere says what it could not check.
extension Trait where Self == ConditionTrait {
    /// For tests that read this host's sockets (HostState's scans, the API's `/listeners`,
    /// `/free-ports` and listeners in answers, the CLI's `listeners`): Linux's /proc/net. It is
    /// missing only off Linux or in a sandbox without procfs, where there is no table to read.
    public static var needsProcNet: Self {
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/net/tcp"), "needs Linux's /proc/net (procfs)")
    }

    /// For tests of tables captured on x86_64: /proc/net and sock_diag write words in the host's
    /// byte order, so the captures read right only on a little-endian host.
    public static var needsLittleEndianHost: Self {
        .enabled(if: 1.littleEndian == 1, "the fixtures are little-endian captures")
    }

    /// For tests that run other programs beside portinfo (to compare with it, or to set a
    /// process up): `paths`, each executable, from `packages` (named in the skip's comment).
    public static func needsTools(_ paths: String..., from packages: String) -> Self {
        .enabled(if: paths.allSatisfy(FileManager.default.isExecutableFile(atPath:)),
                 Comment(rawValue: "needs \(paths.joined(separator: " and ")) (\(packages))"))
    }

    /// For tests that make namespaces: root.
    public static var needsRoot: Self {
        .enabled(if: getuid() == 0, "needs root")
    }
}
