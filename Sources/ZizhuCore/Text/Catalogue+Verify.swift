extension Catalogue {
    /// The package verifier's problem lines (M02 PACKAGE_INTEGRITY, M04 DECLARATION_MISMATCH,
    /// M06 SIGNATURE_INVALID): `zizhu verify`, the merge's summary and its M02/M04/M06 details.
    static let verifyProblems: [Entry] = [
        Entry("verify.problem", zh: "{code} {subject}：{reason}", en: "{code} {subject}: {reason}"),
        Entry("verify.atLine", zh: "第 {line} 行：{message}", en: "line {line}: {message}"),

        // Subjects.
        Entry("verify.subject.package", zh: "申报包", en: "package"),
        Entry("verify.subject.counts", zh: "申报表计数", en: "declaration counts"),
        Entry("verify.subject.fingerprint", zh: "申报表数据指纹", en: "declaration fingerprint"),
        Entry("verify.subject.field", zh: "申报表 {field}", en: "declaration {field}"),
        Entry("verify.subject.count", zh: "申报表计数 {field}", en: "declaration count {field}"),
        Entry("verify.subject.signature", zh: "申报表签名", en: "declaration signature"),

        // M02: the entries, the manifest, the data files.
        Entry("verify.folderEntry", zh: "多余的文件夹条目：申报包只含四个文件，没有文件夹",
              en: "unexpected folder entry: a package holds four files and no folders"),
        Entry("verify.unexpectedEntry", zh: "多余的条目：申报包只含 {entries}", en: "unexpected entry: a package holds only {entries}"),
        Entry("verify.missingEntry", zh: "申报包中缺少该文件", en: "missing from the package"),
        Entry("verify.entryTwice", zh: "在申报包中出现了 {count} 次", en: "appears {count} times in the package"),
        Entry("verify.jsonTooLarge", zh: "有 {size} 字节，超过申报包 JSON 文件的上限 {maximum} 字节",
              en: "is {size} bytes, more than the {maximum} a package's JSON file may be"),
        Entry("verify.unreadable", zh: "无法读取：{reason}", en: "cannot be read: {reason}"),
        Entry("verify.manifest.invalid", zh: "不是有效的清单：{reason}", en: "is not a valid manifest: {reason}"),
        Entry("verify.format", zh: "格式为「{format}」，应为「{expected}」", en: "format is \"{format}\", expected \"{expected}\""),
        Entry("verify.manifest.notData", zh: "列出了「{path}」，它不是申报包的数据文件", en: "lists \"{path}\", which is not a data file of a package"),
        Entry("verify.manifest.twice", zh: "把 {path} 列了 {count} 次", en: "lists {path} {count} times"),
        Entry("verify.notListed", zh: "没有列在 {manifest} 中", en: "not listed in {manifest}"),
        Entry("verify.sha256", zh: "sha256 与清单不符：清单为 {listed}，实际为 {actual}", en: "sha256 differs from the manifest: manifest {listed}, actual {actual}"),
        Entry("verify.size", zh: "大小与清单不符：清单为 {listed} 字节，实际为 {actual} 字节",
              en: "size differs from the manifest: manifest {listed} bytes, actual {actual} bytes"),
        Entry("verify.schema", zh: "清单中它的表结构为「{listed}」，应为「{expected}」", en: "the manifest gives its schema as \"{listed}\", expected \"{expected}\""),
        Entry("verify.gzip", zh: "不是可读的 gzip：{reason}", en: "is not readable gzip: {reason}"),
        Entry("verify.csv", zh: "不是可读的申报包 CSV：{reason}", en: "is not readable package CSV: {reason}"),
        Entry("verify.rows", zh: "行数与清单不符：清单为 {listed}，实际为 {actual}", en: "rows differ from the manifest: manifest {listed}, actual {actual}"),

        // M02 of the merge: a package refused before it is opened.
        Entry("merge.package.tooLarge", zh: "有 {size} 字节，超过申报包的上限 {maximum} 字节", en: "is {size} bytes, more than the {maximum} a package may be"),
        Entry("merge.package.unsafe", zh: "条目「{name}」{reason}；该条目未打开即被拒收", en: "entry \"{name}\" {reason}; the entry is refused unopened"),
        Entry("merge.package.cityUnreadable", zh: "无法读取市级汇总包 {path}：{reason}", en: "the city archive {path} cannot be read: {reason}"),
        Entry("merge.package.noEntry", zh: "{path} 中没有条目 {name}", en: "no entry {name} in {path}"),
        Entry("merge.package.entryUnreadable", zh: "无法从市级汇总包中读取：{reason}", en: "cannot be read from the city archive: {reason}"),
        Entry("merge.package.nested", zh: "这是放在市级汇总包里的压缩包的压缩包：压缩包只能嵌套一层（市级汇总包里放学校申报包），因此未打开即被拒收",
              en: "is an archive of archives inside a city archive: archives nest one level deep only (a city archive holds school packages), so it is refused unopened"),

        // M04: the declaration against the data and the manifest.
        Entry("verify.counts.recompute", zh: "无法从数据重新计算：{reason}", en: "cannot be recomputed from the data: {reason}"),
        Entry("verify.declaration.invalid", zh: "不是有效的申报表：{reason}", en: "is not a valid declaration: {reason}"),
        Entry("verify.declaredData", zh: "申报表为 {declared}，数据为 {actual}", en: "declared {declared}, data {actual}"),
        Entry("verify.declaredManifest", zh: "申报表为 {declared}，清单为 {listed}", en: "declared {declared}, manifest {listed}"),

        // M06: the signature and the trust folder.
        Entry("verify.sig.algorithm", zh: "算法为「{algorithm}」；只接受 Ed25519", en: "the algorithm is \"{algorithm}\"; only Ed25519 is accepted"),
        Entry("verify.sig.publicKey", zh: "public_key 不是 base64 编码的 32 字节 Ed25519 公钥", en: "public_key is not a 32-byte Ed25519 key in base64"),
        Entry("verify.sig.keyId", zh: "key_id {keyId} 与随附的公钥（{actual}）不符", en: "key_id {keyId} does not name the public key it comes with ({actual})"),
        Entry("verify.sig.value", zh: "签名值不是 base64 编码的 64 字节", en: "the signature value is not 64 bytes in base64"),
        Entry("verify.sig.fails", zh: "密钥 {keyId} 的签名验证未通过：申报表在签名后被改动过，或签名已损坏",
              en: "the signature by key {keyId} does not verify: the declaration was changed after signing, or the signature is damaged"),
        Entry("verify.trust.unreadDeclaration", zh: "无法核验：申报表无法读取", en: "cannot be checked: the declaration could not be read"),
        Entry("verify.trust.notChecked", zh: "无法核验", en: "cannot be checked"),
        Entry("verify.trust.unsigned", zh: "申报表没有签名；使用 --trust 时，每个申报包都必须带有学校负责人的签名",
              en: "the declaration is unsigned; with --trust every package must carry its principal's signature"),
        Entry("verify.trust.invalidCode", zh: "无法查找受信任的公钥：{reason}", en: "no trusted key can be looked up: {reason}"),
        Entry("verify.trust.codeReason", zh: "学校代码「{code}」{reason}", en: "school code \"{code}\" {reason}"),
        Entry("verify.trust.missing", zh: "学校 {school} 没有受信任的公钥：{path} 不存在", en: "no trusted key for school {school}: {path} does not exist"),
        Entry("verify.trust.unusable", zh: "学校 {school} 的受信任公钥（{path}）无法使用：{reason}",
              en: "the trusted key of school {school} ({path}) cannot be used: {reason}"),
        Entry("verify.trust.otherKey", zh: "用密钥 {signer} 签名，而不是学校 {school} 受信任的公钥 {trusted}（{path}）",
              en: "signed with key {signer}, not with school {school}'s trusted key {trusted} ({path})"),
    ]
}
