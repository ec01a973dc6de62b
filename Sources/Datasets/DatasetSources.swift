import Foundation

/// Where `swift-lab fetch` downloads registered datasets from, and what their files must hash
/// to. The SHA-256 is of each file's decompressed content: MNIST's match the canonical MD5 sums
/// of the uncompressed files; Fashion-MNIST's are those of the files Debian ships.
public enum DatasetSources {
    public struct Source: Sendable {
        public var mirrors: [URL]
        public var files: [RemoteFile]
    }

    public static let all: [String: Source] = [
        "mnist": Source(
            mirrors: [URL(string: "https://storage.googleapis.com/cvdf-datasets/mnist/")!,
                      URL(string: "https://ossci-datasets.s3.amazonaws.com/mnist/")!],
            files: [
                RemoteFile(name: "train-images-idx3-ubyte.gz", sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                RemoteFile(name: "train-labels-idx1-ubyte.gz", sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                RemoteFile(name: "t10k-images-idx3-ubyte.gz", sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                RemoteFile(name: "t10k-labels-idx1-ubyte.gz", sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
            ]),
        "fashion-mnist": Source(
            mirrors: [URL(string: "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")!],
            files: [
                RemoteFile(name: "train-images-idx3-ubyte.gz", sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                RemoteFile(name: "train-labels-idx1-ubyte.gz", sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                RemoteFile(name: "t10k-images-idx3-ubyte.gz", sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                RemoteFile(name: "t10k-labels-idx1-ubyte.gz", sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
            ]),
    ]
}
