import Foundation
@testable import Registry
import Testing
import TestSupport

@Suite struct RecordTests {
    @Test func emptyFieldsAreNilAndBracketsComeOff() throws {
        let ftp = Record(try row("ftp,21,tcp,File Transfer Protocol [Control],[Jon_Postel],[Jon_Postel],2003-01,2024-07-22,[RFC959][RFC2228],,,Defined TXT keys: u=<username> p=<password>"), source: .iana)
        #expect(ftp.service == "ftp")
        #expect(ftp.transport == .tcp)
        #expect(ftp.ports == Record.Ports(first: 21, last: 21))
        #expect(ftp.description == "File Transfer Protocol [Control]")
        #expect(ftp.assignee == "Jon_Postel")
        #expect(ftp.contact == "Jon_Postel")
        #expect(ftp.registered == "2003-01")
        #expect(ftp.modified == "2024-07-22")
        #expect(ftp.references == ["RFC959", "RFC2228"])
        #expect(ftp.serviceCode == nil)
        #expect(ftp.unauthorizedUse == nil)
        #expect(ftp.notes == "Defined TXT keys: u=<username> p=<password>")
        #expect(ftp.status == .assigned)
    }

    @Test func aNameOnlyRowHasNoPortsOrTransport() throws {
        let argus = Record(try row("argus,,,ARGUS Protocol,,,,,,,,"), source: .iana)
        #expect(argus.ports == nil)
        #expect(argus.transport == nil)
        #expect(argus.assignee == nil)
        #expect(argus.references == [])
    }

    @Test func severalContactsAndUnbracketedReferencesAreKept() throws {
        let record = Record(try row("cl/1,172,tcp,Network PostScript,[Eric_Wright],[Vera_Heinau][Heiko_Schlichting],,,RFC 1234 section 2,,,"), source: .iana)
        #expect(record.contact == "Vera_Heinau, Heiko_Schlichting")
        #expect(record.references == ["RFC 1234 section 2"])
    }

    @Test(arguments: [
        ("Reserved", Record.Status.reserved), ("reserved for future use", .reserved), ("Unassigned", .unassigned),
        ("unassigned", .unassigned), ("UNASSIGNED", .unassigned), ("Sun IPC server", .assigned), ("", .assigned),
        ("Reservation Protocol", .assigned),
    ])
    func statusComesFromTheDescription(description: String, status: Record.Status) {
        #expect(Record.status(ofDescription: description) == status)
    }
}
