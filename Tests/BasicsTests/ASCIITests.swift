import Basics
import Testing

@Suite struct ASCIITests {
    @Test func digitsHexAndLetters() {
        #expect((0...255).filter { ASCII.isDigit(UInt8($0)) }.map { Character(Unicode.Scalar(UInt8($0))) } == Array("0123456789"))
        #expect((0...255).filter { ASCII.isHexDigit(UInt8($0)) }.count == 22)
        #expect((0...255).filter { ASCII.isLetter(UInt8($0)) }.count == 52)
        #expect(Array("09afAF".utf8).map(ASCII.hexDigitValue) == [0, 9, 10, 15, 10, 15])
        #expect(ASCII.hexDigitValue(UInt8(ascii: "g")) == nil && ASCII.hexDigitValue(UInt8(ascii: "/")) == nil)
        #expect(ASCII.lowercased(UInt8(ascii: "Q")) == UInt8(ascii: "q") && ASCII.lowercased(UInt8(ascii: "[")) == UInt8(ascii: "["))
    }

    @Test func numbersAtTheEdgesOfTheirTypes() {
        #expect(ASCII.decimal("65535".utf8, as: UInt16.self) == 65535)
        #expect(ASCII.decimal("65536".utf8, as: UInt16.self) == nil)
        #expect(ASCII.decimal("".utf8, as: Int.self) == nil)
        #expect(ASCII.decimal("12a".utf8, as: Int.self) == nil)
        #expect(ASCII.decimal("9223372036854775807".utf8, as: Int.self) == Int.max)
        #expect(ASCII.decimal("9223372036854775808".utf8, as: Int.self) == nil)
        #expect(ASCII.hexadecimal("ffFF".utf8, as: UInt16.self) == 0xFFFF)
        #expect(ASCII.hexadecimal("10000".utf8, as: UInt16.self) == nil)
        #expect(ASCII.hexadecimal("0x1".utf8, as: UInt32.self) == nil)
    }

    @Test func caseInsensitiveEqualityIsASCIIOnly() {
        #expect("Content-Length".caseInsensitiveEquals("content-LENGTH"))
        #expect(!"Content-Length".caseInsensitiveEquals("Content-Lengt"))
        // U+212A KELVIN SIGN folds to k in Unicode, never in HTTP.
        #expect(!"\u{212A}".caseInsensitiveEquals("k"))
    }
}
