/// A daemon's sweep in progress, read in pages of rows by id (`WHERE p.id > $last ORDER BY
/// p.id LIMIT n`, an index range scan) so that only a page of rows, its findings and its
/// plan are held at once (a start-up sweep of 100,000 held them all: 188 MiB), and so that
/// notifications, signals and the tree are served between pages. Each page is its own
/// statement, outside any transaction: a listening session hears notifications only
/// between transactions. Rows inserted or deleted meanwhile are the notifications' to
/// bring in step; after the last page one pass over the root's listing reports what no
/// row claims. This value says where the next page starts and counts what the pages did.
public struct PagedSweep: Sendable, Equatable {
    /// Rows per page: a page and its `PGresult` are about 1 MB.
    public static let defaultPageRows = 1_000

    /// What one page read and did.
    public struct Page: Sendable, Equatable {
        public var rows: Int
        /// The greatest id of the page (its rows come ordered by id); `nil` for an empty page.
        public var lastID: Int?
        public var created = 0
        public var rewritten = 0
        public var failed = 0

        public init(rows: Int, lastID: Int?, created: Int = 0, rewritten: Int = 0, failed: Int = 0) {
            self.rows = rows
            self.lastID = lastID
            self.created = created
            self.rewritten = rewritten
            self.failed = failed
        }
    }

    /// What follows a page.
    public enum Next: Sendable, Equatable {
        /// The rows with ids greater than this one.
        case page(after: Int)
        /// That was the last page (it held fewer rows than asked): the pass over the root's
        /// listing for what no row claims, then the sweep ends.
        case lastPass
    }

    public let policy: RepairPolicy
    public let pageRows: Int
    /// The greatest id read so far (`nil`: no page answered yet).
    public private(set) var lastID: Int?
    /// The pages answered so far.
    public private(set) var pages = 0
    /// The totals of the pages so far, for the sweep's line and its status.
    public private(set) var total = Page(rows: 0, lastID: nil)

    public init(policy: RepairPolicy, pageRows: Int = PagedSweep.defaultPageRows) {
        self.policy = policy
        self.pageRows = max(1, pageRows)
    }

    /// No page has been answered yet: the first one starts the sweep's bookkeeping.
    public var isFirstPage: Bool { pages == 0 }

    /// A page was read and brought in step: what comes next. A full page may be followed by
    /// an empty one (the table's size a multiple of `pageRows`), which ends the sweep.
    mutating func read(_ page: Page) -> Next {
        pages += 1
        total.rows += page.rows
        total.created += page.created
        total.rewritten += page.rewritten
        total.failed += page.failed
        if let id = page.lastID { lastID = max(lastID ?? id, id) }
        guard page.rows >= pageRows, let lastID else { return .lastPass }
        return .page(after: lastID)
    }
}
