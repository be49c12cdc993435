// What a resident files: the service, where, what, the service's own questions answered, and contact data
// only when they chose to give it. The outbox carries it to the central server.
import Foundation

/// Where the problem is, without a map.
public enum ReportLocation: Sendable, Equatable, Codable {
    /// The kiosk's own place (config: address and coordinates).
    case kiosk(address: String, latitude: Double, longitude: Double)
    /// A street from the city's list and a house number.
    case street(name: String, number: String)
    /// A free description ("przy wejściu do parku od ul. Konstytucyjnej").
    case landmark(String)
}

/// An answer to one of a service's questions, by the attribute's datatype.
public enum AttributeAnswer: Sendable, Equatable, Codable {
    case text(String)
    case number(Double)
    case datetime(Date)
    case choice(String)
    case choices([String])
}

/// Given only after the consent step; deleted as soon as the case no longer needs it (retention rule).
public struct ContactDetails: Sendable, Equatable, Codable {
    public var email: String?
    public var phone: String?
    public var wantsFeedback: Bool
    public init(email: String?, phone: String?, wantsFeedback: Bool) {
        self.email = email; self.phone = phone; self.wantsFeedback = wantsFeedback
    }
}

public struct Submission: Sendable, Equatable, Codable {
    public var serviceCode: String
    public var location: ReportLocation
    /// Up to 4,000 characters, the Open311 limit.
    public var description: String
    public var answers: [String: AttributeAnswer]
    public var contact: ContactDetails?
    /// The language the resident used, for the server's answer and the receipt.
    public var language: Language

    public static let maxDescriptionCharacters = 4_000

    public init(serviceCode: String, location: ReportLocation, description: String, answers: [String: AttributeAnswer] = [:],
                contact: ContactDetails? = nil, language: Language = .pl) {
        self.serviceCode = serviceCode; self.location = location; self.description = description
        self.answers = answers; self.contact = contact; self.language = language
    }
}

/// Where an item is on its way to the central server.
public enum OutboxState: String, Sendable, Equatable, Codable, CaseIterable {
    /// Saved, waiting for the network.
    case queued
    /// The server took it; its service_request_id or token is stored beside the ticket.
    case sent
    /// The server refused it for good (a 4xx other than 408/429); kept for staff with the server's message.
    case refused
}

/// What `kiosk outbox list` and maintenance see of an item: never personal data.
public struct OutboxItem: Sendable, Equatable {
    public var ticket: String
    public var serviceCode: String
    public var state: OutboxState
    public var attempts: Int
    public var created: Date
    public var idempotencyKey: String
    public init(ticket: String, serviceCode: String, state: OutboxState, attempts: Int, created: Date, idempotencyKey: String) {
        self.ticket = ticket; self.serviceCode = serviceCode; self.state = state; self.attempts = attempts
        self.created = created; self.idempotencyKey = idempotencyKey
    }
}
