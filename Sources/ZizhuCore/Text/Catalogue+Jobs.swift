extension Catalogue {
    /// Errors of the merge's inputs, submit checks, report digests, sample generation and the CSV parser.
    static let jobErrors: [Entry] = [
        // Merge: notes on the inputs, M05 across runs.
        Entry("note.merge.notRegular", zh: "{path}：已跳过：不是普通文件", en: "{path}: skipped: not a regular file"),
        Entry("note.merge.noZip", zh: "{path}：文件夹中没有 .zip 文件", en: "{path}: no .zip file in the folder"),
        Entry("note.merge.notPackage", zh: "{path}：已跳过条目 {entry}：它不是申报包（市级汇总包中应是 {school_code}_{term}.zip 文件）",
              en: "{path}: entry {entry} skipped: not a package (a city archive holds {school_code}_{term}.zip files)"),
        Entry("note.merge.twins", zh: "{path}：有 {count} 个条目都叫 {name}：每个都作为单独的申报包读取和校验（第二个记为 {name}#2）",
              en: "{path}: {count} entries named {name}: each is read and verified as a package of its own (the second named {name}#2)"),
        Entry("detail.M05.earlier", zh: "之前收到过数据不同的申报包：{packages}", en: "earlier, other data: {packages}"),
        Entry("detail.M05.earlier.package", zh: "{source}（第 {run} 次运行于 {receivedAt} 收到，generated_at {generatedAt}，数据指纹 {fingerprint}…）",
              en: "{source} received {receivedAt} in run {run} (generated_at {generatedAt}, fingerprint {fingerprint}…)"),
        Entry("detail.M05.earlierIsNewer", zh: "；之前的某个申报包比今天的生成得晚：请重新报送它才会合并",
              en: "; an earlier package was generated later than today's: send it again to merge it"),
        Entry("detail.M05.mergedToday", zh: "合并了 {source}（generated_at {generatedAt}，数据指纹 {fingerprint}…）",
              en: "merged {source} (generated_at {generatedAt}, fingerprint {fingerprint}…)"),

        // Merge inputs.
        Entry("merge.input.missing", zh: "没有这个文件或文件夹", en: "no such file or folder"),
        Entry("merge.input.missing.hint", zh: "给出学校申报包（{school_code}_{term}.zip）、市级汇总包或存放它们的文件夹",
              en: "give school packages ({school_code}_{term}.zip), city archives or folders of them"),
        Entry("merge.input.notRegular", zh: "不是普通文件（而是管道、套接字或设备）", en: "not a regular file (a pipe, socket or device)"),
        Entry("merge.input.notRegular.hint", zh: "申报包或市级汇总包要从文件末尾读起：请先存为文件再给出",
              en: "a package or city archive is read from its end: save it as a file and give that"),
        Entry("merge.input.folder", zh: "无法读取该文件夹", en: "the folder cannot be read"),
        Entry("merge.package.unreadable", zh: "无法读取该申报包", en: "the package cannot be read"),
        Entry("merge.package.unreadable.hint", zh: "检查文件是否存在且可读（{reason}）", en: "check that the file exists and can be read ({reason})"),
        Entry("merge.tooMany", zh: "一次合并 {count} 个申报包：超过 {limit} 个", en: "{count} packages in one merge: more than {limit}"),
        Entry("merge.tooMany.hint", zh: "先按市合并，再合并各市的汇总数据", en: "merge city by city, then the cities' merged data"),
        Entry("merge.changed", zh: "合并过程中申报包被改动了", en: "the package changed while it was being merged"),
        Entry("merge.changed.hint", zh: "合并期间不要改动输入文件，然后重新运行", en: "leave the inputs alone during a merge and run it again"),
        Entry("merge.noEntry", zh: "没有条目 {name}", en: "no entry {name}"),

        // Submit checks.
        Entry("submit.calendar", zh: "{source}：学籍变动 {change}，登记于 {recorded}：{message}", en: "{source}: status change {change} recorded {recorded}: {message}"),
        Entry("submit.calendar.hint", zh: "加入该年度的国务院节假日安排", en: "add the year's State Council calendar"),

        // Report digests.
        Entry("digest.open", zh: "无法读取文件以计算摘要", en: "cannot read file to hash it"),
        Entry("digest.read", zh: "计算摘要时读取出错", en: "read error while hashing"),

        // Sample data.
        Entry("sample.create", zh: "无法创建 {path}", en: "cannot create {path}"),
        Entry("sample.create.hint", zh: "检查输出文件夹是否可写", en: "check that the output folder is writable"),
        Entry("sample.open", zh: "无法打开 {path} 写入", en: "cannot open {path} for writing"),
        Entry("sample.write", zh: "无法写入 {path}", en: "cannot write {path}"),
        Entry("sample.close", zh: "无法关闭 {path}", en: "cannot close {path}"),
        Entry("sample.folder", zh: "无法创建文件夹 {path}", en: "cannot create the folder {path}"),
        Entry("sample.students", zh: "样例数据至少需要 {minimum} 名学生（给出的是 {students}）", en: "a sample needs at least {minimum} students (got {students})"),
        Entry("sample.students.hint", zh: "每种发现项都埋在各自的学生身上；请用 --students {minimum} 或更多",
              en: "every finding is planted on its own students; use --students {minimum} or more"),
        Entry("sample.schools", zh: "{schools} 所学校、{students} 名学生", en: "{schools} schools for {students} students"),
        Entry("sample.schools.hint", zh: "至少用 3 所学校，每所学校至少 {perSchool} 名学生", en: "use at least 3 schools and at least {perSchool} students per school"),
        Entry("sample.grantShare", zh: "助学金比例是 0 到 100 之间的百分数（给出的是 {share}）", en: "a grant share is a percentage from 0 to 100 (got {share})"),
        Entry("sample.grantShare.hint", zh: "用 --grant-share 100 给每个全日制在籍学生发放", en: "use --grant-share 100 to pay every full-time enrolled student"),

        // Workbooks written as outputs.
        Entry("xlsx.create", zh: "无法创建工作簿", en: "cannot create the workbook"),
        Entry("xlsx.addSheet", zh: "无法向工作簿添加工作表 {name}", en: "cannot add the sheet {name} to the workbook"),
        Entry("xlsx.failed", zh: "无法{doing}：{reason}", en: "cannot {doing}: {reason}"),
        Entry("xlsx.failed.hint", zh: "检查输出文件夹是否有空间且可写", en: "check the output folder has room and is writable"),
        Entry("xlsx.doing.printTitles", zh: "设置每页都打印的标题行", en: "name the rows printed on every page"),
        Entry("xlsx.doing.write", zh: "写出工作簿", en: "write the workbook"),
        Entry("xlsx.doing.cell", zh: "写入单元格", en: "write a cell"),
        Entry("xlsx.doing.merge", zh: "合并单元格", en: "merge cells"),
        Entry("xlsx.doing.columnWidth", zh: "设置列宽", en: "set a column width"),
        Entry("xlsx.doing.rowHeight", zh: "设置行高", en: "set a row height"),
        Entry("xlsx.doing.autofilter", zh: "设置自动筛选", en: "set the autofilter"),
        Entry("xlsx.doing.footer", zh: "设置页脚", en: "set the footer"),
        Entry("xlsx.closed", zh: "工作簿已经关闭", en: "the workbook is already closed"),

        // The CSV parser.
        Entry("csv.outOfMemory", zh: "CSV 解析器内存不足（{reason}）", en: "the CSV parser ran out of memory ({reason})"),
        Entry("csv.outOfMemory.hint", zh: "某个字段太长，内存放不下", en: "a field is far too long for memory"),
    ]
}
