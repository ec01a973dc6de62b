/// A problem with data: one readable sentence naming the file (or the operation) at fault.
public struct DatasetError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
