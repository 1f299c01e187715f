/// A line of the knowledge files that is not what they must hold: a build of a broken file.
public struct KnowledgeError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let line: Int?
    public let reason: String

    public var description: String { "knowledge/\(file)\(line.map { " line \($0)" } ?? ""): \(reason)" }
}
