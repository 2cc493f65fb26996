extension Catalogue {
    /// Reading and writing workbooks (.xlsx, .xls): Sources/ZizhuIngest/Workbook, Sources/ZizhuReport/Workbook.
    static let workbook: [Entry] = [
        // Hints shared by many workbook errors.
        Entry("hint.workbook.damaged", zh: "工作簿已损坏：请用电子表格软件打开后重新保存",
              en: "the workbook is damaged; open it in a spreadsheet program and save it again"),
        Entry("hint.workbook.saveAgain", zh: "请用电子表格软件打开后重新保存", en: "open it in a spreadsheet program and save it again"),
        Entry("hint.workbook.cellTooLong", zh: "这么长的单元格不会是名册数据，请检查该工作表", en: "a cell this long is not roster data; check the sheet"),
        Entry("hint.workbook.rowTooLong", zh: "这么长的一行不会是名册数据，请检查该工作表", en: "a row this long is not roster data; check the sheet"),
        Entry("hint.workbook.split", zh: "请拆分工作簿，或把该工作表另存为 CSV", en: "split the workbook, or save the sheet as CSV"),

        // The cell of an EXCEL_ERROR reject when its column is unknown ("cell {cell} holds …").
        Entry("EXCEL_ERROR.cellInRow", zh: "（第 {line} 行）", en: "in row {line}"),

        // Choosing a sheet (.xlsx and .xls).
        Entry("error.workbook.noSuchSheet", zh: "工作簿中没有工作表「{sheet}」", en: "the workbook has no sheet \"{sheet}\""),
        Entry("error.workbook.noSuchSheet.hint", zh: "它的工作表有：{sheets}", en: "its sheets are: {sheets}"),
        Entry("error.workbook.noSheets", zh: "工作簿中没有列出任何工作表", en: "the workbook lists no sheets"),

        // Cells and rows (both readers).
        Entry("error.workbook.columnTooFar", zh: "有单元格超出了第 {columns} 列", en: "a cell lies past column {columns}"),
        Entry("error.workbook.cellsOutOfOrder", zh: "一行中的单元格顺序错乱", en: "the cells of a row are out of order"),
        Entry("error.workbook.cellTooLong", zh: "一个单元格有 {bytes} 字节，超过上限 {limit}",
              en: "a cell holds {bytes} bytes, more than {limit}"),
        Entry("error.workbook.rowTooLong", zh: "一行超过了 {limit} 字节", en: "a row holds more than {limit} bytes"),

        // .xlsx: the zip's parts and the sheet XML.
        Entry("error.xlsx.missingPart", zh: "工作簿中缺少 {part}", en: "the workbook has no {part}"),
        Entry("error.xlsx.missingPart.hint", zh: "该文件不是完整的 .xlsx 工作簿：请用电子表格软件打开后重新保存",
              en: "the file is not a complete .xlsx workbook; open it in a spreadsheet program and save it again"),
        Entry("error.xlsx.partTooLarge", zh: "{part} 声明的大小为 {bytes} 字节，超过上限 {limit}",
              en: "{part} declares {bytes} bytes, more than {limit}"),
        Entry("error.xlsx.partTooLarge.hint", zh: "真实的工作簿中这一部分从不会这么大", en: "this part is never that large in a real workbook"),
        Entry("error.xlsx.missingSheet", zh: "工作簿说工作表「{sheet}」在 {part}，但那里没有",
              en: "the workbook names sheet \"{sheet}\" at {part}, which is missing"),
        Entry("error.xlsx.tooManyStrings", zh: "工作簿的共享字符串超过 {limit} 个", en: "the workbook holds more than {limit} shared strings"),
        Entry("error.xlsx.stringsTooLarge", zh: "工作簿的共享字符串超过 {limit} 字节",
              en: "the workbook's shared strings hold more than {limit} bytes"),
        Entry("error.xlsx.badReference", zh: "单元格引用「{reference}」无效", en: "a cell reference \"{reference}\" is not valid"),
        Entry("error.xlsx.badRow", zh: "行号「{reference}」无效或顺序错乱", en: "a row number \"{reference}\" is not valid or out of order"),
        Entry("error.xlsx.textTooLong", zh: "一个单元格的文字超过 4 MiB", en: "a cell's text is longer than 4 MiB"),
        Entry("error.xlsx.stringIndex", zh: "单元格 {cell} 引用第 {index} 个共享字符串，但工作簿只有 {count} 个",
              en: "cell {cell} names shared string {index}, but the workbook has {count}"),
        Entry("error.xml.parser", zh: "创建 XML 解析器时内存不足", en: "out of memory creating an XML parser"),
        Entry("error.xml.doctype", zh: "工作簿的一个部分声明了文档类型（DOCTYPE）；工作簿从不这样做，其中的实体可能无限展开或读取其他文件",
              en: "the workbook part declares a document type (DOCTYPE); workbooks never do, and entities in one can expand without bound or read other files"),
        Entry("error.xml.doctype.hint", zh: "该文件不是电子表格软件写出的，请勿信任", en: "this file was not written by a spreadsheet program; do not trust it"),
        Entry("error.xml.malformed", zh: "工作簿的一个部分不是格式正确的 XML：{message}（XML 第 {line} 行）",
              en: "the workbook part is not well-formed XML: {message} (XML line {line})"),
        Entry("error.xml.tokenTooLong", zh: "工作簿的一个部分中有一个超过 {limit} 字节的标记（标签、注释或 CDATA 段）",
              en: "a part of the workbook holds a markup token (tag, comment or CDATA section) longer than {limit} bytes"),

        // .xls through FreeXL in a child process.
        Entry("error.xls.open", zh: "无法读取该 .xls 工作簿（FreeXL 错误 {status}）", en: "the .xls workbook cannot be read (FreeXL error {status})"),
        Entry("error.xls.open.hint", zh: "文件已损坏、设有密码或不是 BIFF8 格式：请用电子表格软件打开后另存为 .xlsx",
              en: "the file is damaged, password-protected or not BIFF8; open it in a spreadsheet program and save it as .xlsx"),
        Entry("error.xls.list", zh: "无法列出工作簿的工作表", en: "the workbook's sheets cannot be listed"),
        Entry("error.xls.noSheets", zh: "工作簿中没有工作表", en: "the workbook has no sheets"),
        Entry("error.xls.select", zh: "无法选中工作表「{sheet}」", en: "sheet \"{sheet}\" cannot be selected"),
        Entry("error.xls.dimensions", zh: "无法读取工作表「{sheet}」的大小", en: "the size of sheet \"{sheet}\" cannot be read"),
        Entry("error.xls.cell", zh: "无法读取一个单元格", en: "a cell cannot be read"),
        Entry("error.xls.crashed", zh: ".xls 读取程序在此文件上中止（{how}）：文件已损坏或是被特意构造的",
              en: "the .xls reader stopped on this file ({how}): the file is damaged or crafted"),
        Entry("error.xls.crashed.hint", zh: "请用电子表格软件打开后另存为 .xlsx；文件来历不明时不要打开",
              en: "open it in a spreadsheet program and save it as .xlsx; do not open a file of unknown origin"),
        Entry("error.xls.helper", zh: "找不到 .xls 读取程序（zizhu xls-cells）", en: "the .xls reader (zizhu xls-cells) cannot be found"),
        Entry("error.xls.helper.hint", zh: "把 ZIZHU_XLS_HELPER 设为 zizhu 可执行文件的路径", en: "set ZIZHU_XLS_HELPER to the path of the zizhu executable"),
        Entry("error.xls.tooLarge", zh: ".xls 读取程序输出超过 {bytes} 字节", en: "the .xls reader wrote more than {bytes} bytes"),
        Entry("error.xls.tooLarge.hint", zh: "请把工作簿另存为 .xlsx 或 CSV", en: "save the workbook as .xlsx or CSV"),

        // Standard input holding a workbook.
        Entry("error.workbook.stdinSpool", zh: "无法为标准输入中的工作簿写一份私有副本", en: "cannot write a private copy of the workbook on standard input"),
        Entry("error.workbook.stdinTooLarge", zh: "标准输入中的工作簿超过 {limit} 字节", en: "the workbook on standard input holds more than {limit} bytes"),
        Entry("error.workbook.stdinTooLarge.hint", zh: "请把文件路径作为参数给出，而不是通过标准输入", en: "pass the file by its path instead of on standard input"),

        // Writing workbooks (libxlsxwriter).
        Entry("error.xlsxOut.create", zh: "无法创建工作簿", en: "cannot create the workbook"),
        Entry("error.xlsxOut.sheet", zh: "无法向工作簿添加工作表 {name}", en: "cannot add the sheet {name} to the workbook"),
        Entry("error.xlsxOut.failed", zh: "无法{doing}：{reason}", en: "cannot {doing}: {reason}"),
        Entry("error.xlsxOut.failed.hint", zh: "请检查输出目录有空间且可写", en: "check the output folder has room and is writable"),
        Entry("error.xlsxOut.closed", zh: "工作簿已经关闭", en: "the workbook is already closed"),
        Entry("xlsxOut.doing.printTitles", zh: "设置每页重复打印的行", en: "name the rows printed on every page"),
        Entry("xlsxOut.doing.workbook", zh: "写出工作簿", en: "write the workbook"),
        Entry("xlsxOut.doing.cell", zh: "写入单元格", en: "write a cell"),
        Entry("xlsxOut.doing.merge", zh: "合并单元格", en: "merge cells"),
        Entry("xlsxOut.doing.columnWidth", zh: "设置列宽", en: "set a column width"),
        Entry("xlsxOut.doing.rowHeight", zh: "设置行高", en: "set a row height"),
        Entry("xlsxOut.doing.autofilter", zh: "设置自动筛选", en: "set the autofilter"),
        Entry("xlsxOut.doing.footer", zh: "设置页脚", en: "set the footer"),
    ]
}
