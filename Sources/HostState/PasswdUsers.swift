import Basics

/// User names by uid from a passwd(5) file. A scan reads the file itself rather than calling
/// getpwuid_r, which can go through NSS to LDAP or sssd and wait on the network.
struct PasswdUsers {
    private let names: [UInt32: String]

    /// From the file's bytes: `name:password:uid:…` lines; comments, NIS `+`/`-` entries and
    /// lines without a numeric uid are skipped; the first name for a uid wins, as getpwuid's would.
    init(passwd: [UInt8]) {
        var names: [UInt32: String] = [:]
        for line in passwd.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: ":"), maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3, let first = fields[0].first,
                  first != UInt8(ascii: "#"), first != UInt8(ascii: "+"), first != UInt8(ascii: "-"),
                  let uid = ASCII.decimal(fields[2], as: UInt32.self), names[uid] == nil
            else { continue }
            names[uid] = String(decoding: fields[0], as: UTF8.self)
        }
        self.names = names
    }

    /// The file at `path`; one that cannot be read names nobody, so every user shows as a uid.
    init(path: String) {
        self.init(passwd: (try? ProcFile.contents(of: path)) ?? [])
    }

    /// The uid's name, or the uid in decimal when the file has no name for it (a container
    /// whose /etc/passwd does not list the host's users).
    func user(uid: UInt32) -> String {
        names[uid] ?? String(uid)
    }
}
