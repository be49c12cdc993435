import Foundation
import Testing
@testable import KioskCore

/// Files a technician edits on Windows or an old Mac are read line by line like those from Linux.
@Suite struct TextFileLines {
    @Test func everyLineEndingSplitsLines() {
        let expected: [Substring] = ["śmieci, odpady", "", "prawko, prawo jazdy"]
        #expect(TextLines.lines(of: "śmieci, odpady\n\nprawko, prawo jazdy\n") == expected)
        #expect(TextLines.lines(of: "śmieci, odpady\r\n\r\nprawko, prawo jazdy\r\n") == expected)
        #expect(TextLines.lines(of: "śmieci, odpady\r\rprawko, prawo jazdy\r") == expected)
        #expect(TextLines.lines(of: "śmieci, odpady\r\n\nprawko, prawo jazdy") == expected) // mixed, no final break
        #expect(TextLines.lines(of: "\u{FEFF}śmieci, odpady\r\n\r\nprawko, prawo jazdy") == expected) // Notepad's BOM
    }

    @Test func edgeCasesKeepLineNumbers() {
        #expect(TextLines.lines(of: "").isEmpty)
        #expect(TextLines.lines(of: "\n") == [""])
        #expect(TextLines.lines(of: "\r\n\r\n") == ["", ""])
        #expect(TextLines.lines(of: "a\n\rb") == ["a", "", "b"]) // LF then CR is two line ends, not one
        #expect(TextLines.lines(of: "tap\u{00A0}x") == ["tap\u{00A0}x"])
        #expect(TextLines.lines(of: "e\u{301}\r\nx") == ["e\u{301}", "x"]) // combining marks stay on their line
    }

    @Test func aWindowsSynonymListKeepsEveryGroup() throws {
        let lf = "# komentarz\nśmieci, odpady\nprawko, prawo jazdy # potocznie\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let cr = lf.replacingOccurrences(of: "\n", with: "\r")
        let expected = try SynonymGroups.parse(lf, file: "s.txt")
        #expect(expected.groups.count == 2)
        #expect(try SynonymGroups.parse(crlf, file: "s.txt") == expected)
        #expect(try SynonymGroups.parse(cr, file: "s.txt") == expected)
    }

    @Test func aBadLineInAWindowsFileIsNamedByItsNumber() {
        do {
            _ = try SynonymGroups.parse("ok, dobrze\r\nśmieci\r\n", file: "s.txt")
            Issue.record("accepted a group of one term")
        } catch let e as KnowledgeBaseError {
            #expect(e.field == "line 2")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func theShippedListReadsTheSameWithWindowsLineEndings() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../kiosk-config/synonyms.txt").path
        let text = try TextLines.read(path: path, maxBytes: SynonymGroups.maxFileBytes)
        let crlf = FileManager.default.temporaryDirectory.appendingPathComponent("synonyms-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: crlf) }
        try Data(("\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n")).utf8).write(to: URL(fileURLWithPath: crlf))
        #expect(try SynonymGroups.read(path: crlf) == SynonymGroups.read(path: path))
        #expect(try SynonymGroups.read(path: crlf).groups.count >= 50)
    }

    @Test func aFileInAnotherEncodingIsRefusedWithItsLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cp1250-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // "śmieci, odpady\nprawko, prawo jazdy\nżłobek, żłobki" as Windows-1250: ś = 0x9C, ż = 0xBF, ł = 0xB3.
        var bytes = Array("\u{1}mieci, odpady\nprawko, prawo jazdy\n".utf8)
        bytes[0] = 0x9C
        bytes += [0xBF, 0xB3] + Array("obek, ".utf8) + [0xBF, 0xB3] + Array("obki\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SynonymGroups.read(path: path)
            Issue.record("read Windows-1250 as if it were UTF-8")
        } catch let e as TextFileError {
            #expect(e.file == path)
            #expect(e.line == 1)
            #expect(e.problem.contains("save the file as UTF-8"))
        }
        // Well-formed UTF-8 only: no overlong forms, no surrogates, nothing past U+10FFFF.
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            #expect(TextLines.firstInvalidUTF8(Data(bad)) == 0, "\(bad)")
        }
        #expect(TextLines.firstInvalidUTF8(Data("zażółć gęślą jaźń 😀".utf8)) == "zażółć gęślą jaźń 😀".utf8.count)
    }

    @Test func anOverLongFileIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0x61, count: 2048).write(to: URL(fileURLWithPath: path))
        #expect(throws: TextFileError.self) { try TextLines.read(path: path, maxBytes: 1024) }
        #expect(throws: TextFileError.self) { try TextLines.read(path: "/nonexistent/synonyms.txt", maxBytes: 1024) }
    }
}
