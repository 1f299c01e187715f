@testable import Registry
import Testing
import TestSupport

func row(_ line: String) throws -> IANARow {
    try IANARow(readAll(line + "\n")[0])
}

func rowError(_ line: String) -> String? {
    do { _ = try row(line) } catch let error as CSVError { return error.reason } catch { Issue.record("\(error)") }
    return nil
}

@Suite struct IANARowTests {
    @Test func acceptsIANAsHeaderOnly() throws {
        try IANARow.checkHeader(readAll(ianaHeader)[0])
        let renamed = ianaHeader.replacingOccurrences(of: "Description", with: "Desc")
        #expect(throws: CSVError(line: 1, reason: "header column 4 is 'Desc', expected 'Description'")) {
            try IANARow.checkHeader(readAll(renamed)[0])
        }
        let short = IANARow.header.dropLast().joined(separator: ",")
        #expect(throws: CSVError(line: 1, reason: "the header has 11 columns, expected IANA's 12: missing 'Assignment Notes'")) {
            try IANARow.checkHeader(readAll(short)[0])
        }
        #expect(throws: CSVError(line: 1, reason: "the header has 13 columns, expected IANA's 12: unexpected 'Extra'")) {
            try IANARow.checkHeader(readAll(ianaHeader + ",Extra")[0])
        }
    }

    @Test func portsAreASinglePortARangeOrEmpty() throws {
        #expect(try row("http,80,tcp,,,,,,,,,").ports == 80...80)
        #expect(try row("x11,6000-6063,tcp,,,,,,,,,").ports == 6000...6063)
        #expect(try row("argus,,,,,,,,,,,").ports == nil)
        #expect(try row(",0,tcp,Reserved,,,,,,,,").ports == 0...0)
        #expect(try row(",65535,udp,Reserved,,,,,,,,").ports == 65535...65535)
    }

    @Test(arguments: ["70000", "65536", "abc", "-1", "1-2-3", " 80", "80 ", "0x50", "8-", "-8", "1e3"])
    func refusesPortsThatAreNotNOrNM(port: String) {
        #expect(rowError("x,\(port),tcp,,,,,,,,,") == "Port Number '\(port)' is not N or N-M with ports from 0 to 65535")
    }

    @Test func refusesARangeThatRunsBackwards() {
        #expect(rowError("x,10-5,tcp,,,,,,,,,") == "Port Number '10-5' is a range whose first port is above its last")
    }

    @Test func refusesWrongFieldCountsUnknownTransportsAndOddDates() {
        #expect(rowError("x,1,tcp") == "expected 12 fields, found 3")
        #expect(rowError("x,1,tcp,,,,,,,,,,") == "expected 12 fields, found 13")
        #expect(rowError("x,1,quic,,,,,,,,,") == "Transport Protocol 'quic' is not tcp, udp, sctp, dccp or empty")
        #expect(rowError("x,1,tcp,,,,2024/01/02,,,,,") == "Registration Date '2024/01/02' is not YYYY-MM-DD or YYYY-MM")
        #expect(rowError("x,1,tcp,,,,,24-01,,,,") == "Modification Date '24-01' is not YYYY-MM-DD or YYYY-MM")
    }

    @Test func keepsBothDateFormsAsWritten() throws {
        let parsed = try row("x,1,tcp,,,,2003-01,2024-07-22,,,,")
        #expect(parsed.registrationDate == "2003-01")
        #expect(parsed.modificationDate == "2024-07-22")
    }
}
