// What a technician must hear at start about files the config points to: said on stderr (the journal
// under systemd), kept as values for the maintenance dashboard. Checks are cheap: no file is parsed here.
import Foundation
import KioskCore

public struct StartProblem: Sendable, Equatable, CustomStringConvertible {
    /// The config key the problem is about, e.g. `search.dictionary`.
    public var key: String
    public var problem: String
    public var description: String { "\(key): \(problem)" }
}

public enum StartChecks {
    /// Problems with the files `config` names that would otherwise show only later (at the next import, or
    /// at the first search), each naming the key, the file and what to do.
    /// `fleet`: also the settings every kiosk of a fleet must have of its own (a kiosk in service, not a
    /// demo, a render or a script run).
    public static func problems(_ config: KioskConfig, fleet: Bool = true) -> [StartProblem] {
        let where_ = config.file.map { " in \($0)" } ?? " in the config"
        var out: [StartProblem] = []
        let missing = ["aff", "dic"].map { (ext: String) -> String in "\(config.dictionary).\(ext)" }.filter { (path: String) in access(path, R_OK) != 0 }
        if !missing.isEmpty {
            out.append(StartProblem(key: "search.dictionary", problem: "\(missing.joined(separator: " and ")) cannot be read: search will not find other word forms (żłobka → żłobek) in the next Knowledge Base import; install hunspell-pl (apt-get install hunspell-pl) or set search.dictionary\(where_) to a hunspell dictionary without .aff/.dic"))
        }
        if let synonyms = config.synonyms, access(synonyms, R_OK) != 0 {
            out.append(StartProblem(key: "search.synonyms", problem: "\(synonyms) cannot be read: search will run without synonyms (prawko → prawo jazdy); fix the path\(where_) or the file's permissions"))
        }
        // A fleet left at the demo's values would print colliding ticket numbers and QR codes to nowhere.
        if fleet, config.site.ticketCode == KioskSite.demo.ticketCode {
            out.append(StartProblem(key: "report.ticketCode", problem: "still the demo's \(KioskSite.demo.ticketCode): every kiosk needs its own code, or two kiosks issue the same ticket numbers; set report.ticketCode\(where_)"))
        }
        if fleet, config.site.statusPage == KioskSite.demo.statusPage {
            out.append(StartProblem(key: "report.statusPage", problem: "still the demo's address: the ticket's QR code leads nowhere; set report.statusPage\(where_) to the city's status page with {ticket}"))
        }
        if let streets = config.streets, access(streets, R_OK) != 0 {
            out.append(StartProblem(key: "report.streets", problem: "\(streets) cannot be read: the kiosk will not start; fix the path\(where_) or the file's permissions"))
        }
        return out
    }

    /// Says each problem on stderr as one line; returns them for the caller to keep.
    @discardableResult
    public static func report(_ config: KioskConfig, fleet: Bool = true) -> [StartProblem] {
        let found = problems(config, fleet: fleet)
        for p in found { Log.warning("\(p)") }
        return found
    }
}
