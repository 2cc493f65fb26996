/// A prefecture-level city (地级市) with a few of its districts, all real GB/T 2260 codes.
struct City: Sendable {
    /// The first four digits of every code in the city (`3701` for 济南市).
    let prefix: Int
    let name: String
    let short: String
    let province: String
    let districts: [(code: Int, name: String)]

    /// The city's own six-digit code (`370100`).
    var code: Int { prefix * 100 }
}

/// The fixed reference lists a sample is drawn from: regions, names, majors, banks.
///
/// The region codes are a small subset of GB/T 2260 chosen so that the schema's region table
/// (which ships with the tool) certainly knows them; the README of a generated set lists them.
enum Reference {
    /// Cities that host schools come first (`schoolCities` of them); the rest only appear as
    /// birthplaces in id numbers and as 生源地.
    static let cities: [City] = [
        City(prefix: 3701, name: "济南市", short: "济南", province: "山东省", districts: [
            (370102, "历下区"), (370103, "市中区"), (370104, "槐荫区"), (370105, "天桥区"), (370112, "历城区"),
        ]),
        City(prefix: 3702, name: "青岛市", short: "青岛", province: "山东省", districts: [
            (370202, "市南区"), (370203, "市北区"), (370211, "黄岛区"), (370212, "崂山区"), (370213, "李沧区"),
        ]),
        City(prefix: 4401, name: "广州市", short: "广州", province: "广东省", districts: [
            (440103, "荔湾区"), (440104, "越秀区"), (440105, "海珠区"), (440106, "天河区"), (440111, "白云区"),
        ]),
        City(prefix: 3703, name: "淄博市", short: "淄博", province: "山东省", districts: [
            (370302, "淄川区"), (370303, "张店区"), (370304, "博山区"),
        ]),
        City(prefix: 3706, name: "烟台市", short: "烟台", province: "山东省", districts: [
            (370602, "芝罘区"), (370611, "福山区"), (370613, "莱山区"),
        ]),
        City(prefix: 3707, name: "潍坊市", short: "潍坊", province: "山东省", districts: [
            (370702, "潍城区"), (370703, "寒亭区"), (370705, "奎文区"),
        ]),
        City(prefix: 4403, name: "深圳市", short: "深圳", province: "广东省", districts: [
            (440303, "罗湖区"), (440304, "福田区"), (440305, "南山区"), (440306, "宝安区"),
        ]),
        City(prefix: 3713, name: "临沂市", short: "临沂", province: "山东省", districts: [
            (371302, "兰山区"), (371311, "罗庄区"), (371312, "河东区"),
        ]),
        // Birthplaces only.
        City(prefix: 4101, name: "郑州市", short: "郑州", province: "河南省", districts: [
            (410102, "中原区"), (410105, "金水区"),
        ]),
        City(prefix: 5101, name: "成都市", short: "成都", province: "四川省", districts: [
            (510104, "锦江区"), (510105, "青羊区"), (510106, "金牛区"),
        ]),
        City(prefix: 4201, name: "武汉市", short: "武汉", province: "湖北省", districts: [
            (420102, "江岸区"), (420106, "武昌区"),
        ]),
        City(prefix: 3401, name: "合肥市", short: "合肥", province: "安徽省", districts: [
            (340102, "瑶海区"), (340104, "蜀山区"),
        ]),
        City(prefix: 1301, name: "石家庄市", short: "石家庄", province: "河北省", districts: [
            (130102, "长安区"), (130104, "桥西区"),
        ]),
        City(prefix: 4501, name: "南宁市", short: "南宁", province: "广西壮族自治区", districts: [
            (450102, "兴宁区"), (450103, "青秀区"),
        ]),
        City(prefix: 6501, name: "乌鲁木齐市", short: "乌鲁木齐", province: "新疆维吾尔自治区", districts: [
            (650102, "天山区"), (650103, "沙依巴克区"),
        ]),
    ]

    /// How many of `cities` host schools.
    static let schoolCities = 8
    /// Index of 乌鲁木齐市, the birthplace of students with two-part (dotted) names.
    static let urumqi = 14
    /// 香港特别行政区: the region of residence-permit (港澳台居民居住证) numbers.
    static let hongKongRegion = 810000

    /// Every district as (city index, code, name), flattened for drawing birthplaces.
    static let districts: [(city: Int, code: Int, name: String)] = cities.enumerated().flatMap { index, city in
        city.districts.map { (index, $0.code, $0.name) }
    }

    static let surnames: [String] = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
        "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
        "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
        "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
        "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
        "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴",
        "欧阳", "司马", "上官", "诸葛",
    ]
    /// Surnames from this index on have two characters (rarer).
    static let compoundSurnameStart = 96

    static let givenCharacters: [String] = [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
        "超", "秀", "霞", "平", "刚", "英", "华", "玉", "萍", "红", "鹏", "飞", "宇", "浩", "然", "子",
        "轩", "梓", "涵", "欣", "怡", "思", "雨", "博", "文", "嘉", "俊", "晨", "泽", "一", "诺", "可",
        "馨", "佳", "琪", "悦", "雪", "婷", "瑶", "琳", "晴", "梦", "瑞", "翔", "凯", "鑫", "昊", "天",
        "宏", "志", "建", "国", "海", "波", "林", "峰", "斌", "辉", "龙", "锋", "亮", "成", "威", "阳",
        "健", "东", "新", "乐", "安", "心", "蕾", "薇", "彤", "妍", "航", "铭", "硕", "睿", "哲", "豪",
    ]

    /// Two-part names (Uyghur and similar) written with a separator dot; the dot's spelling varies
    /// by file and row (`·`, `•`, `．`, `・`, `‧`), which normalization folds to `·`.
    static let dottedNames: [(String, String)] = [
        ("阿卜杜拉", "买买提"), ("古丽米拉", "艾买提"), ("热依拉", "吐尔逊"), ("艾力", "库尔班"),
        ("买买提江", "阿不都"), ("迪丽努尔", "依力哈木"), ("努尔", "艾合买提"), ("阿依古丽", "吐尔洪"),
        ("帕提古丽", "热合曼"), ("玉素甫", "艾海提"), ("米热古丽", "阿布拉"), ("艾克拜尔", "吐逊"),
    ]

    /// Separator dots seen in real files, as written (the canonical `·` first).
    static let nameDots: [String] = ["·", "•", "．", "・", "‧"]

    /// Names of passport holders (护照), Latin letters in mixed case: normalization upper-cases them.
    static let latinNames: [String] = ["Nguyen Van An", "Kim Min Jun", "Ivan Petrov", "Bounmy Phommachanh"]

    static let majors: [String] = [
        "数控加工", "机电一体化", "汽车维修", "电气自动化设备安装与维修", "计算机网络应用", "电子商务",
        "烹饪（中式烹调）", "美容美发与造型", "焊接加工", "工业机器人应用与维护", "新能源汽车检测与维修",
        "会计", "物流服务与管理", "幼儿教育", "建筑施工", "模具制造", "服装设计与制作", "酒店管理",
        "无人机应用技术", "护理",
    ]

    static let schoolWords: [String] = [
        "交通", "电子", "机械", "工业", "建筑", "商贸", "信息工程", "轻工", "化工", "汽车", "技术",
        "城市建设", "现代服务", "旅游", "工程", "铁路", "航空", "新能源", "医药", "农业", "水利", "电力",
        "冶金", "石化", "纺织", "食品", "机电", "电子信息", "智能制造", "公共管理",
    ]
    static let schoolKinds: [String] = ["技工学校", "高级技工学校", "技师学院"]

    /// Partner organisations for joint programmes (联合办学), by city short name.
    static let partnerKinds: [String] = ["职业培训学校", "职业技能培训中心", "实训基地"]

    static let hukouTypes: [String] = ["农业", "非农业", "居民"]

    /// Hardship types (困难类型) in the contract's order; the first seven are the special ones
    /// that S02 protects.
    static let hardshipTypes: [String] = [
        "原建档立卡", "低保", "特困供养", "孤儿", "烈士子女", "残疾学生", "残疾人子女",
        "边缘易致贫户", "突发严重困难户", "一般困难", "无",
    ]
    static let hardshipNone: UInt8 = 10
    static let hardshipGeneral: UInt8 = 9
    /// Relative frequency of each hardship type among students (per 10,000).
    static let hardshipWeights: [Int] = [400, 500, 100, 50, 20, 100, 150, 200, 100, 1200, 7180]

    static func isSpecialHardship(_ type: UInt8) -> Bool { type < 7 }

    /// National-grant tiers (一档 二档 三档) per term, in fen (2023 default standard).
    static let tierFen: [Int64] = [125_000, 100_000, 75_000]
    static let tierNames: [String] = ["一档", "二档", "三档"]

    /// Tuition waiver (免学费) standards per term, in fen: none equals a grant tier, so a
    /// mistaken tier check on 免学费 rows cannot pass by accident.
    static let tuitionFen: [Int64] = [110_000, 130_000, 145_000, 160_000, 180_000, 240_000]
}

/// A bank that pays the grant and sends back a return file (回盘文件) in its own format.
struct Bank: Sendable {
    let key: String
    let name: String
    /// Card BIN (first six digits) for 中职资助卡 and 社保卡 accounts.
    let fundCardBIN: Int
    let socialCardBIN: Int

    static let all: [Bank] = [
        Bank(key: "icbc", name: "中国工商银行", fundCardBIN: 621_226, socialCardBIN: 623_062),
        Bank(key: "ccb", name: "中国建设银行", fundCardBIN: 621_285, socialCardBIN: 621_700),
        Bank(key: "abc", name: "中国农业银行", fundCardBIN: 622_848, socialCardBIN: 623_052),
    ]
    /// GB18030 `.csv.gz` with an id column and a channel column.
    static let icbc = 0
    /// UTF-8 `.csv` without an id column (matched by account); masked accounts appear here.
    static let ccb = 1
    /// A `.zip` of two UTF-8-with-BOM return files (first run and retry run), with ids.
    static let abc = 2
    /// BIN of the few cards the 建设银行 file prints masked: used by no other account, so a
    /// masked number matches exactly one approved card.
    static let maskedCardBIN: UInt64 = 621_284
}
