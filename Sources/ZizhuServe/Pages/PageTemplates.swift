/// The server's pages (swift-mustache), Chinese first, plain HTML forms: usable without JavaScript,
/// no script at all, no resource from outside (the machines have no internet). `{{x}}` is escaped;
/// only the layout's `{{{content}}}` (a page rendered here) is not.
enum PageTemplates {
    static let layout = """
    <!DOCTYPE html>
    <html lang="zh-CN">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    {{#refresh}}<meta http-equiv="refresh" content="{{refresh}}">{{/refresh}}
    <title>{{title}} · 资助数据工作台</title>
    <style>
    body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1a1a1a; background: #f6f6f3; }
    header { background: #8b1a1a; color: #fff; padding: .6em 1.2em; display: flex; justify-content: space-between; align-items: center; }
    header a, header button { color: #fff; }
    header form { display: inline; }
    header button { background: none; border: 1px solid #fff; padding: .2em .8em; cursor: pointer; }
    main { max-width: 72em; margin: 1.2em auto; padding: 0 1.2em; }
    table { border-collapse: collapse; width: 100%; background: #fff; margin: .6em 0 1.2em; }
    th, td { border: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top; font-size: .92em; }
    th { background: #eee; }
    .box { background: #fff; border: 1px solid #ccc; padding: .8em 1.2em; margin: 1em 0; }
    .error { color: #a00; font-weight: bold; }
    .ok { color: #060; font-weight: bold; }
    .muted { color: #666; font-size: .9em; }
    label { display: block; margin: .5em 0 .2em; }
    input[type=text], input[type=password] { width: 20em; padding: .3em; }
    button.primary { background: #8b1a1a; color: #fff; border: 0; padding: .5em 1.4em; font-size: 1em; cursor: pointer; }
    @media print { header, form, .noprint { display: none; } body { background: #fff; } }
    </style>
    </head>
    <body>
    <header><strong>资助数据工作台 <span class="muted" style="color:#f3d">zizhu</span></strong>
    {{#account}}<span>{{name}}（{{roleTitle}} · {{scope}}）
    <form method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">退出 Log out</button></form></span>{{/account}}
    </header>
    <main>
    {{{content}}}
    </main>
    </body>
    </html>
    """

    static let login = """
    <h1>登录 Sign in</h1>
    {{#message}}<p class="error">{{message}}</p>{{/message}}
    <form method="post" action="/login" class="box">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <label for="name">账号 Account</label><input type="text" id="name" name="name" value="{{name}}" autocomplete="username" required>
    <label for="password">密码 Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
    <p><button type="submit" class="primary">登录</button></p>
    </form>
    <p class="muted">一人一号，不得共用账号。 One person, one account: never share a login.</p>
    """

    static let message = """
    <h1>{{heading}}</h1>
    <p class="{{kind}}">{{text}}</p>
    {{#hint}}<p>{{hint}}</p>{{/hint}}
    {{#back}}<p><a href="{{back}}">返回 Back</a></p>{{/back}}
    """

    static let schoolList = """
    <h1>学校 Schools</h1>
    <table>
    <tr><th>学校代码</th><th>学校名称</th><th>市</th><th>最近检查 Last run</th><th>已报送 Submitted</th></tr>
    {{#schools}}
    <tr><td><a href="/schools/{{code}}">{{code}}</a></td><td>{{name}}</td><td>{{cityName}} {{cityCode}}</td><td>{{lastRun}}</td><td>{{submitted}}</td></tr>
    {{/schools}}
    </table>
    {{^schools}}<p>没有可查看的学校。 No school in your scope.</p>{{/schools}}
    """

    static let school = """
    <h1>{{schoolName}} <span class="muted">{{code}}</span></h1>
    {{#canUpload}}
    <form method="post" action="/schools/{{code}}/uploads" enctype="multipart/form-data" class="box">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <h2>上传学籍名册与资助申报名单 Upload roster and applications</h2>
    <label for="term">学期 Term</label><input type="text" id="term" name="term" value="{{term}}" required>
    <label for="roster">学籍名册 Roster (.xlsx/.xls/.csv, .gz, .zip)</label><input type="file" id="roster" name="roster" required>
    <label for="applications">资助申报名单 Applications</label><input type="file" id="applications" name="applications" required>
    <p><button type="submit" class="primary">上传并检查 Upload and check</button>
    <span class="muted">单次上传上限 {{limitMB}} MB</span></p>
    </form>
    {{/canUpload}}
    {{#canUploadPackage}}
    <form method="post" action="/schools/{{code}}/packages" enctype="multipart/form-data" class="box">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <h2>上传已签名的申报包 Upload a signed package</h2>
    <p class="muted">用 zizhu submit 生成并签名的 {{code}}_学期.zip：服务器校验后记录{{#packageSubmits}}为本校的报送{{/packageSubmits}}{{^packageSubmits}}，由校长用户审核报送{{/packageSubmits}}。 A package made and signed with zizhu submit, verified by the server.</p>
    <label for="package">申报包 Package (.zip)</label><input type="file" id="package" name="package" accept=".zip" required>
    <p><button type="submit">上传申报包 Upload the package</button></p>
    </form>
    {{/canUploadPackage}}
    <h2>检查记录 Runs</h2>
    <table>
    <tr><th>#</th><th>学期</th><th>状态 State</th><th>上传者</th><th>时间</th><th>结果</th></tr>
    {{#jobs}}
    <tr><td><a href="/schools/{{school}}/jobs/{{id}}">{{id}}</a></td><td>{{term}}</td><td>{{stateTitle}}</td><td>{{account}}</td><td>{{created}}</td><td>{{outcome}}</td></tr>
    {{/jobs}}
    </table>
    {{^jobs}}<p>尚无检查记录。 No run yet.</p>{{/jobs}}
    <h2>报送 Submissions</h2>
    {{#submissions}}<p><a href="/schools/{{school}}/submissions/{{id}}">回执 #{{id}}</a> · {{term}} · {{at}} · {{account}}</p>{{/submissions}}
    {{^submissions}}<p>尚未报送。 Not submitted yet.</p>{{/submissions}}
    """

    static let job = """
    <p><a href="/schools/{{school}}">← {{school}}</a></p>
    <h1>检查 #{{id}} · {{term}}</h1>
    <div class="box">
    <p>状态 State: <strong>{{stateTitle}}</strong>{{#position}}（前面还有 {{position}} 项 jobs ahead）{{/position}}</p>
    <p class="muted">上传 {{created}} · 开始 {{started}} · 完成 {{finished}} · 由 {{account}}</p>
    {{#pending}}<p class="muted">本页每 3 秒自动刷新。 This page refreshes itself.</p>{{/pending}}
    {{#failure}}<p class="error">未能完成 The run failed: {{failure}}</p>{{/failure}}
    </div>
    {{#done}}
    <div class="box">
    {{#packageUpload}}<p class="ok">上传的申报包已通过校验。 The uploaded package passed verification.</p>
    <p><a href="/schools/{{school}}/jobs/{{id}}/package">下载申报包 Download the package</a></p>{{/packageUpload}}
    {{^packageUpload}}
    {{#clean}}<p class="ok">没有错误：申报包与声明已生成。 No error: the package and the declaration are ready.</p>
    <p><a href="/schools/{{school}}/jobs/{{id}}/package">下载申报包 Download the package</a> ·
    <a href="/schools/{{school}}/jobs/{{id}}/declaration">打印申报数据真实性声明 Print the declaration</a></p>{{/clean}}
    {{^clean}}<p class="error">有错误或被拒绝的行：请改正后重新上传。 Errors or rejected rows: fix them and upload again.</p>{{/clean}}
    <p><a href="/schools/{{school}}/jobs/{{id}}/report">完整报告 Full report</a></p>
    <p>读入 {{rowsRead}} 行 · 接受 {{rowsAccepted}} · 拒绝 {{rowsRejected}} · 发现问题 {{findingCount}}</p>
    {{/packageUpload}}
    </div>
    {{#canSubmit}}
    <form method="post" action="/schools/{{school}}/jobs/{{id}}/submit" class="box">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <h2>校长审核报送 Principal's review and submission</h2>
    <p>我已审核以上检查结果与申报数据真实性声明，确认报送。 I have reviewed the findings and the declaration and submit them.</p>
    <p><button type="submit" class="primary">确认报送 Submit</button></p>
    </form>
    {{/canSubmit}}
    {{#submittedReceipt}}<p class="ok">已报送：<a href="/schools/{{school}}/submissions/{{submittedReceipt}}">回执 Receipt</a></p>{{/submittedReceipt}}
    {{#hasRejects}}
    <h2>被拒绝的行 Rejected rows（请逐行改正 fix each row）</h2>
    <table><tr><th>文件 File</th><th>行 Line</th><th>列 Column</th><th>值 Value</th><th>规则 Rule</th><th>说明 Message</th><th>建议 Hint</th></tr>
    {{#rejects}}<tr><td>{{file}}</td><td>{{line}}</td><td>{{column}}</td><td>{{value}}</td><td>{{rule}}</td><td>{{message}}</td><td>{{hint}}</td></tr>{{/rejects}}
    </table>
    {{/hasRejects}}
    {{#moreRejects}}<p class="muted">另有 {{moreRejects}} 行未列出，见完整报告。 {{moreRejects}} more in the full report.</p>{{/moreRejects}}
    {{#hasFindings}}
    <h2>发现的问题 Findings</h2>
    <table><tr><th>代码 Code</th><th>级别</th><th>学号</th><th>姓名</th><th>身份证号</th><th>应为 Expected</th><th>实为 Actual</th><th>说明 Detail</th><th>来源 Source</th></tr>
    {{#findings}}<tr><td>{{code}}</td><td>{{severity}}</td><td>{{studentNo}}</td><td>{{name}}</td><td>{{idNumber}}</td><td>{{expected}}</td><td>{{actual}}</td><td>{{detail}}</td><td>{{sources}}</td></tr>{{/findings}}
    </table>
    {{/hasFindings}}
    {{#moreFindings}}<p class="muted">另有 {{moreFindings}} 项未列出，见完整报告。 {{moreFindings}} more in the full report.</p>{{/moreFindings}}
    {{/done}}
    """

    static let receipt = """
    <h1>报送回执 Receipt</h1>
    <table>
    <tr><th>回执编号 Receipt</th><td>{{id}}</td></tr>
    <tr><th>学校 School</th><td>{{schoolName}}（{{school}}）</td></tr>
    <tr><th>学期 Term</th><td>{{term}}</td></tr>
    <tr><th>报送时间 Submitted at</th><td>{{at}}</td></tr>
    <tr><th>报送账号 Account</th><td>{{account}}（校长用户）</td></tr>
    <tr><th>声明指纹 Declaration fingerprint</th><td><code>{{fingerprint}}</code></td></tr>
    <tr><th>申报包 SHA-256</th><td><code>{{packageSHA256}}</code></td></tr>
    <tr><th>检查 Run</th><td><a href="/schools/{{school}}/jobs/{{jobId}}">#{{jobId}}</a></td></tr>
    </table>
    <p class="noprint"><a href="/schools/{{school}}">返回 Back</a> · 请打印本页留存。 Print this page for your records.</p>
    """

    static let accounts = """
    <h1>账号管理 Accounts</h1>
    {{#message}}<p class="{{kind}}">{{message}}</p>{{/message}}
    {{#generated}}<p class="box">初始密码（只显示一次）Initial password, shown once: <code>{{generated}}</code></p>{{/generated}}
    <table><tr><th>账号</th><th>角色 Role</th><th>范围 Scope</th></tr>
    {{#accounts}}<tr><td>{{name}}</td><td>{{roleTitle}}</td><td>{{scope}}</td></tr>{{/accounts}}
    </table>
    <form method="post" action="/admin/accounts" class="box">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <h2>新建账号 New account</h2>
    <label for="name">账号 Name</label><input type="text" id="name" name="name" required>
    <label for="role">角色 Role</label>
    <select id="role" name="role">{{#roles}}<option value="{{key}}">{{title}}</option>{{/roles}}</select>
    <label for="scope">范围 Scope（学校代码或地区代码 school or region code）</label><input type="text" id="scope" name="scope">
    <p><button type="submit" class="primary">新建 Create</button></p>
    </form>
    """
}
