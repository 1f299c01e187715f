import PortInfoReports
import Registry
import Testing

@Suite struct TextTableTests {
    @Test func columnsAlignButTheLastAndCellsFromDataAreEscaped() {
        let table = TextTable(columns: ["PROCESS", "PORT", "NOTE"], rows: [["sshd", "22", "fine"], ["evil\u{1B}[2J\nline", "1", "x"]])
        #expect(table.text == """
            PROCESS              PORT  NOTE
            sshd                 22    fine
            evil\\u{1B}[2J\\nline  1     x
            """)
    }

    @Test func aProblemHasRFC9457sMembersInItsOrder() {
        let body = APIJSON.problem(type: "https://portinfo.invalid/problems/x", title: "X", status: 400, detail: "a \"quoted\" detail",
                                   format: .compact)
        #expect(String(decoding: body, as: UTF8.self)
            == #"{"type":"https://portinfo.invalid/problems/x","title":"X","status":400,"detail":"a \"quoted\" detail"}"# + "\n")
    }
}
