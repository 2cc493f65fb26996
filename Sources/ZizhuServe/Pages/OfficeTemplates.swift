/// The finance, city and province pages (swift-mustache), Chinese first, plain HTML forms, no script.
enum OfficeTemplates {
    static let finance = """
    <h1>财务对账 Reconciliation <span class="muted">{{scope}}</span></h1>
    <form method="post" action="/finance/uploads" enctype="multipart/form-data" class="box">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <h2>上传审批名单与银行发放文件 Upload the approved list and bank files</h2>
    <label for="term">学期 Term</label><input type="text" id="term" name="term" value="{{term}}" required>
    <label for="approved">审批名单 Approved list (.xlsx/.xls/.csv, .gz, .zip)</label><input type="file" id="approved" name="approved" multiple required>
    <label for="ledger">银行发放/回盘文件 Bank payout and return files</label><input type="file" id="ledger" name="ledger" multiple required>
    <label for="roster">学籍名册（可选）Roster (optional)</label><input type="file" id="roster" name="roster" multiple>
    <label for="allocations">资金分配表（可选）Allocations (optional)</label><input type="file" id="allocations" name="allocations">
    <p><button type="submit" class="primary">上传并对账 Upload and reconcile</button>
    <span class="muted">单次上传上限 {{limitMB}} MB</span></p>
    </form>
    <h2>对账记录 Runs</h2>
    <table>
    <tr><th>#</th><th>学期</th><th>状态 State</th><th>上传者</th><th>时间</th><th>结果</th></tr>
    {{#jobs}}
    <tr><td><a href="/finance/jobs/{{id}}">{{id}}</a></td><td>{{term}}</td><td>{{stateTitle}}</td><td>{{account}}</td><td>{{created}}</td><td>{{outcome}}</td></tr>
    {{/jobs}}
    </table>
    {{^jobs}}<p>尚无对账记录。 No run yet.</p>{{/jobs}}
    """

    static let financeJob = """
    <p><a href="/finance">← 财务对账</a></p>
    <h1>对账 #{{id}} · {{term}} <span class="muted">{{scope}}</span></h1>
    <div class="box">
    <p>状态 State: <strong>{{stateTitle}}</strong></p>
    <p class="muted">上传 {{created}} · 完成 {{finished}} · 由 {{account}}</p>
    {{#pending}}<p class="muted">本页每 3 秒自动刷新。 This page refreshes itself.</p>{{/pending}}
    {{#failure}}<p class="error">未能完成 The run failed: {{failure}}</p>{{/failure}}
    </div>
    {{#done}}
    <div class="box">
    <p>读入 {{rowsRead}} 行 · 拒绝 {{rowsRejected}} · 发现问题 {{findingCount}}</p>
    {{#run}}<p>历史第 {{id}} 次运行：新增 <strong>{{new}}</strong> · 仍未解决 <strong>{{open}}</strong> · 已解决 <strong>{{resolved}}</strong>
    {{#previousRun}}（与第 {{previousRun}} 次运行相比 since run {{previousRun}}）{{/previousRun}}{{^previousRun}}（首次运行 first run）{{/previousRun}}</p>{{/run}}
    <p>下载 Downloads:
    {{#downloads}}<a href="/finance/jobs/{{jobId}}/files/{{key}}">{{name}}</a>{{#unmasked}}（含完整证件号 whole ids）{{/unmasked}} · {{/downloads}}</p>
    {{#canUnmask}}{{^unmasked}}<p class="noprint"><a href="/finance/jobs/{{id}}?unmask=1">显示完整证件号（将记入审计日志）Show whole ids (audited)</a></p>{{/unmasked}}{{/canUnmask}}
    {{#unmasked}}<p class="error">本页显示完整证件号，已记入审计日志。 Whole ids shown; this was audited. <a href="/finance/jobs/{{id}}">遮蔽 Mask</a></p>{{/unmasked}}
    </div>
    {{#hasFindings}}
    <h2>本次发现的问题 Findings of this run</h2>
    <table><tr><th>代码</th><th>级别</th><th>学校</th><th>学号</th><th>姓名</th><th>身份证号</th><th>应为</th><th>实为</th><th>说明</th><th>状态 Status</th><th>处理 Note</th></tr>
    {{#findings}}<tr><td>{{code}}</td><td>{{severity}}</td><td>{{school}}</td><td>{{studentNo}}</td><td>{{name}}</td><td>{{idNumber}}</td><td>{{expected}}</td><td>{{actual}}</td><td>{{detail}}</td><td>{{status}}</td>
    <td>{{#note}}<p>{{note}} <span class="muted">{{decidedBy}}</span></p>{{/note}}
    <form method="post" action="/finance/jobs/{{id}}/findings/{{findingID}}/note">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <select name="status"><option value="explained">已说明 explained</option><option value="accepted">已接受 accepted</option></select>
    <input type="text" name="note" placeholder="说明 note" required style="width:10em"><button type="submit">记录</button>
    </form></td></tr>{{/findings}}
    </table>
    {{/hasFindings}}
    {{#hasResolved}}
    <h2>自上次运行以来已解决 Resolved since the last run</h2>
    <table><tr><th>代码</th><th>学校</th><th>学号</th><th>姓名</th><th>身份证号</th><th>说明</th></tr>
    {{#resolvedFindings}}<tr><td>{{code}}</td><td>{{school}}</td><td>{{studentNo}}</td><td>{{name}}</td><td>{{idNumber}}</td><td>{{detail}}</td></tr>{{/resolvedFindings}}
    </table>
    {{/hasResolved}}
    {{/done}}
    """

    static let mergeForm = """
    <form method="post" action="/regions/{{region}}/merges" class="box">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <label for="term">学期 Term</label><input type="text" id="term" name="term" value="{{term}}" required>
    <p><button type="submit" class="primary">汇总已报送的申报包 Merge the submitted packages</button></p>
    </form>
    <h2>汇总记录 Merges</h2>
    <table><tr><th>#</th><th>学期</th><th>状态</th><th>发起者</th><th>时间</th><th>结果</th></tr>
    {{#merges}}<tr><td><a href="/merges/{{id}}">{{id}}</a></td><td>{{term}}</td><td>{{stateTitle}}</td><td>{{account}}</td><td>{{created}}</td><td>{{outcome}}</td></tr>{{/merges}}
    </table>
    {{^merges}}<p>尚未汇总。 No merge yet.</p>{{/merges}}
    """

    static let province = """
    <h1>全省进度 Province progress <span class="muted">{{province}} · {{term}}</span></h1>
    <table>
    <tr><th>市 City</th><th>应报 Expected</th><th>已报送 Submitted</th><th>未报送 Missing (M03)</th><th>被隔离 Quarantined</th><th>重复报送冲突 Conflicts (M05)</th></tr>
    {{#cities}}<tr><td><a href="/cities/{{cityCode}}?term={{term}}">{{cityName}} {{cityCode}}</a></td><td>{{expected}}</td><td>{{submitted}}</td><td>{{missing}}</td><td>{{quarantined}}</td><td>{{conflicts}}</td></tr>{{/cities}}
    </table>
    {{^cities}}<p>应报学校名单为空。 The expected list is empty.</p>{{/cities}}
    """ + mergeForm

    static let city = """
    <h1>{{cityName}} <span class="muted">{{city}} · {{term}}</span></h1>
    <p>已报送 {{submitted}} / 应报 {{expected}} Submitted / expected</p>
    <table>
    <tr><th>学校代码</th><th>学校名称（与公章一致）</th><th>报送 Submitted</th><th>隔离 Quarantine (M02/M04/M06)</th><th>冲突 Conflict (M05)</th></tr>
    {{#schools}}<tr><td><a href="/schools/{{code}}">{{code}}</a></td><td>{{name}}</td>
    <td>{{#missing}}<span class="error">未报送 M03</span>{{/missing}}{{^missing}}{{submittedAt}} · {{submittedBy}}{{/missing}}</td>
    <td>{{#quarantine}}<span class="error">{{quarantine}}</span>{{/quarantine}}</td><td>{{conflict}}</td></tr>{{/schools}}
    </table>
    {{^schools}}<p>本市应报学校名单为空。 No school on the expected list.</p>{{/schools}}
    {{#canKeepSchools}}
    <form method="post" action="/cities/{{city}}/schools" class="box">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <h2>学校基本信息 Add or correct a school</h2>
    <label for="code">学校代码 Code</label><input type="text" id="code" name="code" required>
    <label for="name">学校名称（与公章一致）Name as on the seal</label><input type="text" id="name" name="name" required>
    <p><button type="submit" class="primary">保存 Save</button></p>
    </form>
    {{/canKeepSchools}}
    """ + mergeForm

    static let merge = """
    <p><a href="{{back}}">← {{region}}</a></p>
    <h1>汇总 #{{id}} · {{term}} <span class="muted">{{region}}</span></h1>
    <div class="box">
    <p>状态 State: <strong>{{stateTitle}}</strong></p>
    <p class="muted">发起 {{created}} · 完成 {{finished}} · 由 {{account}}</p>
    {{#pending}}<p class="muted">本页每 3 秒自动刷新。 This page refreshes itself.</p>{{/pending}}
    {{#failure}}<p class="error">未能完成 The merge failed: {{failure}}</p>{{/failure}}
    </div>
    {{#done}}
    <div class="box"><p>发现问题 Findings: {{findingCount}}</p>
    <p>下载 Downloads: {{#downloads}}<a href="/merges/{{jobId}}/files/{{key}}">{{name}}</a> · {{/downloads}}</p></div>
    {{#hasFindings}}
    <table><tr><th>代码 Code</th><th>级别</th><th>学号</th><th>姓名</th><th>身份证号</th><th>应为</th><th>实为</th><th>说明</th><th>来源</th></tr>
    {{#findings}}<tr><td>{{code}}</td><td>{{severity}}</td><td>{{studentNo}}</td><td>{{name}}</td><td>{{idNumber}}</td><td>{{expected}}</td><td>{{actual}}</td><td>{{detail}}</td><td>{{sources}}</td></tr>{{/findings}}
    </table>
    {{/hasFindings}}
    {{/done}}
    """

    static let tokens = """
    <h1>API 令牌 API tokens</h1>
    {{#made}}<p class="box">新令牌（只显示一次，请妥善保存）New token, shown once: <code>{{made}}</code></p>{{/made}}
    <p>令牌代表本账号，权限与本账号相同；接口说明见 <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>。 A token acts as this account.</p>
    <table><tr><th>#</th><th>用途 Label</th><th>创建时间</th></tr>
    {{#tokens}}<tr><td>{{id}}</td><td>{{label}}</td><td>{{created}}</td></tr>{{/tokens}}
    </table>
    <form method="post" action="/account/tokens" class="box">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <label for="label">用途 Label</label><input type="text" id="label" name="label" required>
    <p><button type="submit" class="primary">新建令牌 Make a token</button></p>
    </form>
    """
}
