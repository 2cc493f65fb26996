import Yams
import ZizhuCore

/// Caps on a pipeline file, so that a hostile or broken file is refused before it is expanded.
///
/// YAML aliases (`*name`) repeat the anchored node without copying it in the parsed tree, but
/// every reader of the tree (variables, settings, the manifest's configuration) expands it: one
/// 1 MB anchor used 1,000 times is a gigabyte. A pipeline file is a page of configuration, so
/// both its size and its size with every alias expanded are capped.
enum YAMLLimits {
    /// The largest pipeline file read (1 MiB).
    static let maxFileBytes = 1 << 20
    /// The largest expanded size: scalar bytes plus one per node, every alias counted in full (4 MiB).
    static let maxExpandedBytes = 4 << 20

    static func checkSize(_ bytes: Int, file: String) throws {
        guard bytes <= maxFileBytes else {
            throw ZizhuError(.pipeline, Message("pipeline.tooLarge", ["file": file, "limit": "\(maxFileBytes)"]),
                             hint: Message("pipeline.tooLarge.hint"))
        }
    }

    /// Walks the tree as its readers will, counting as it goes, and stops at the first node that
    /// takes the expanded size over the cap — so a hostile file is refused after at most
    /// `maxExpandedBytes` of work.
    static func checkExpansion(_ root: Node, reader: NodeReader) throws {
        var total = 0
        var stack: [Node] = [root]
        while let node = stack.popLast() {
            total += 1
            switch node {
            case .scalar(let scalar): total += scalar.string.utf8.count
            case .sequence(let sequence): stack.append(contentsOf: sequence)
            case .mapping(let mapping):
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            case .alias: break
            }
            if total > maxExpandedBytes {
                throw reader.fail(node, Message("pipeline.expands", ["limit": "\(maxExpandedBytes)"]), hint: Message("pipeline.expands.hint"))
            }
        }
    }
}
