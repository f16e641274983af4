//! Lists split into pages and pre-rendered in each order, so that a plan of a thousand
//! commitments stays a light page and sorting needs no JavaScript. One pager serves
//! every list (plans, areas, institutions, news, the latest reports), as Zola's does.
//!
//! URLs are stable: `fr/plans/ID/` is page 1 in the plan's own order, `page/2/` the
//! next one, `by-progress/` and `by-status/` the other orders with their own pages.

use serde::Serialize;

/// An order a list of commitments can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Order {
    /// As the plan numbers them (the default).
    Number,
    /// Highest reported progress first; unreported last.
    Progress,
    /// What needs attention first: delayed, not reported, in progress, not started,
    /// completed, cancelled.
    Status,
}

impl Order {
    /// The orders of commitment lists.
    pub const ALL: [Order; 3] = [Order::Number, Order::Progress, Order::Status];
    /// Lists read in one order only (news, reports: newest first).
    pub const ONLY: [Order; 1] = [Order::Number];

    /// The path segment of the order; the default order has none.
    fn segment(self) -> Option<&'static str> {
        match self {
            Order::Number => None,
            Order::Progress => Some("by-progress"),
            Order::Status => Some("by-status"),
        }
    }

    /// The UI string naming the order.
    pub fn label_key(self) -> &'static str {
        match self {
            Order::Number => "sort_number",
            Order::Progress => "sort_progress",
            Order::Status => "sort_status",
        }
    }
}

/// How many pages `len` rows take, `size` per page; an empty list still has its page.
pub fn page_count(len: usize, size: usize) -> usize {
    len.div_ceil(size.max(1)).max(1)
}

/// The path of page `number` (from 1) of the list whose first page is `base`, in `order`.
pub fn page_path(base: &str, order: Order, number: usize) -> String {
    let base = match order.segment() {
        Some(segment) => format!("{base}{segment}/"),
        None => base.to_string(),
    };
    if number <= 1 { base } else { format!("{base}page/{number}/") }
}

/// The rows a printed plan report puts on one page: many more than a list's, since it
/// is read on paper and the real portal's plans should print whole, yet bounded, since a
/// report section is about 2.2 kB of HTML per commitment (10k corpus) and a page stays
/// under 300 kB.
pub const REPORT_PAGE_SIZE: usize = 100;

/// The report's page size for a site whose lists show `list_size` rows per page.
pub fn report_page_size(list_size: usize) -> usize {
    REPORT_PAGE_SIZE.max(list_size)
}

/// The rows of page `index` (from 0), `size` per page.
pub fn rows_of_page(index: usize, size: usize) -> std::ops::Range<usize> {
    let size = size.max(1);
    index * size..(index + 1) * size
}

/// A list's rows in one order at a time, for rendering its pages order by order: each
/// order is sorted once, from the list's own order, rather than once for every page
/// (an institution leading 500 commitments has 75 pages in its three orders).
pub struct OrderedRows<T> {
    original: Vec<T>,
    current: Option<(Order, Vec<T>)>,
}

impl<T: Clone> OrderedRows<T> {
    pub fn new(rows: Vec<T>) -> Self {
        OrderedRows { original: rows, current: None }
    }

    /// The rows in `order`, sorted by `sort` from the original order when the order
    /// changes (sorts are stable, so ties keep the list's own order whatever came before).
    pub fn in_order(&mut self, order: Order, sort: impl Fn(&mut [T], Order)) -> &[T] {
        if self.current.as_ref().is_none_or(|(current, _)| *current != order) {
            let mut rows = self.original.clone();
            sort(&mut rows, order);
            self.current = Some((order, rows));
        }
        self.current.as_ref().map_or(&[], |(_, rows)| rows.as_slice())
    }
}

/// The rows in `range`, or as many of them as the list has.
pub fn page_of<T: Clone>(rows: &[T], range: std::ops::Range<usize>) -> Vec<T> {
    rows.get(range.start.min(rows.len())..range.end.min(rows.len())).unwrap_or_default().to_vec()
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub label: String,
    pub href: String,
    pub current: bool,
    /// Stands for pages left out between two links (drawn as an ellipsis).
    pub gap: bool,
}

/// Pages linked on each side of the current one; the first and last are always linked.
const NEIGHBOURS: usize = 2;

/// The page numbers a pager links, in order, with `None` where a run of pages is left
/// out: all of them for a short list, else the first, the last and the current page's
/// neighbours (as Hugo's and Zola's paginators do), so a page of a 300-page list links
/// 7 pages, not 300, and the site's size stays linear in its pages.
fn linked_pages(number: usize, count: usize) -> Vec<Option<usize>> {
    let near = |n: usize| n == 1 || n == count || n.abs_diff(number) <= NEIGHBOURS;
    // An ellipsis never stands for a single page: that page is linked instead.
    let shown = |n: usize| near(n) || (n > 1 && n < count && near(n - 1) && near(n + 1));
    let mut linked = Vec::new();
    for n in 1..=count {
        if shown(n) {
            linked.push(Some(n));
        } else if linked.last().is_some_and(Option::is_some) {
            linked.push(None);
        }
    }
    linked
}

/// What a template needs to draw the pager and the order switch.
#[derive(Debug, Clone, Serialize)]
pub struct PagerView {
    pub number: usize,
    pub count: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Every page, when there is more than one.
    pub pages: Vec<PageLink>,
    /// The other orders' first pages, when the list has several orders.
    pub orders: Vec<PageLink>,
    /// "Page 2 of 5".
    pub label: String,
}

/// The pager of page `number` of `count` in `order`, with links made by `href`.
pub fn pager(
    base: &str,
    orders: &[Order],
    order: Order,
    number: usize,
    count: usize,
    href: impl Fn(&str) -> String,
    label: impl Fn(&str) -> String,
    page_label: String,
) -> PagerView {
    let link = |n: usize| href(&page_path(base, order, n));
    PagerView {
        number,
        count,
        prev: (number > 1).then(|| link(number - 1)),
        next: (number < count).then(|| link(number + 1)),
        pages: if count > 1 {
            linked_pages(number, count)
                .into_iter()
                .map(|n| match n {
                    Some(n) => PageLink { label: n.to_string(), href: link(n), current: n == number, gap: false },
                    None => PageLink { label: "…".to_string(), href: String::new(), current: false, gap: true },
                })
                .collect()
        } else {
            Vec::new()
        },
        orders: if orders.len() > 1 {
            orders
                .iter()
                .map(|o| PageLink { label: label(o.label_key()), href: href(&page_path(base, *o, 1)), current: *o == order, gap: false })
                .collect()
        } else {
            Vec::new()
        },
        label: page_label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_order_sorts_from_the_list_order_so_ties_never_depend_on_the_previous_order() {
        // (number, progress, status rank): 2 and 3 tie on progress, 1 and 3 on status.
        let by = |rows: &mut [(u8, u8, u8)], order: Order| match order {
            Order::Number => {}
            Order::Progress => rows.sort_by_key(|r| std::cmp::Reverse(r.1)),
            Order::Status => rows.sort_by_key(|r| r.2),
        };
        let mut rows = OrderedRows::new(vec![(1, 10, 0), (2, 50, 1), (3, 50, 0)]);
        let numbers = |rows: &[(u8, u8, u8)]| rows.iter().map(|r| r.0).collect::<Vec<_>>();
        assert_eq!(numbers(rows.in_order(Order::Status, by)), [1, 3, 2]);
        assert_eq!(numbers(rows.in_order(Order::Progress, by)), [2, 3, 1], "2 before 3 as in the list, not as in the status order");
        assert_eq!(numbers(rows.in_order(Order::Number, by)), [1, 2, 3]);
        assert_eq!(numbers(rows.in_order(Order::Number, by)), [1, 2, 3], "asking again keeps the order");
    }

    #[test]
    fn a_long_list_links_its_ends_and_the_current_page_neighbours() {
        let shown = |number, count| {
            linked_pages(number, count).into_iter().map(|n| n.map_or("…".to_string(), |n| n.to_string())).collect::<Vec<_>>().join(" ")
        };
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(3, 5), "1 2 3 4 5");
        assert_eq!(shown(100, 333), "1 … 98 99 100 101 102 … 333");
        assert_eq!(shown(1, 333), "1 2 3 … 333");
        assert_eq!(shown(4, 333), "1 2 3 4 5 6 … 333");
        assert_eq!(shown(5, 333), "1 2 3 4 5 6 7 … 333", "no ellipsis for page 2 alone");
        assert_eq!(shown(6, 333), "1 … 4 5 6 7 8 … 333");
        assert_eq!(shown(333, 333), "1 … 331 332 333");
        let p = pager("fr/x/", &Order::ONLY, Order::Number, 100, 333, |p| format!("/{p}"), |k| k.to_string(), String::new());
        assert_eq!(p.pages.iter().filter(|l| l.gap).count(), 2);
        assert!(p.pages.iter().filter(|l| l.gap).all(|l| l.href.is_empty() && !l.current));
        assert_eq!(p.pages.iter().find(|l| l.current).map(|l| l.href.as_str()), Some("/fr/x/page/100/"));
    }

    #[test]
    fn pages_and_paths() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_path("fr/plans/p/", Order::Number, 1), "fr/plans/p/");
        assert_eq!(page_path("fr/plans/p/", Order::Number, 2), "fr/plans/p/page/2/");
        assert_eq!(page_path("fr/plans/p/", Order::Progress, 1), "fr/plans/p/by-progress/");
        assert_eq!(page_path("fr/plans/p/", Order::Status, 3), "fr/plans/p/by-status/page/3/");
        assert_eq!(page_of(&[1, 2, 3, 4, 5], rows_of_page(1, 2)), vec![3, 4]);
        assert_eq!(page_of(&[1, 2, 3, 4, 5], rows_of_page(2, 2)), vec![5]);
        assert_eq!(page_of(&[1, 2, 3], rows_of_page(5, 2)), Vec::<i32>::new());
    }

    #[test]
    fn the_pager_links_its_neighbours() {
        let p = pager("fr/x/", &Order::ALL, Order::Progress, 2, 3, |p| format!("/{p}"), |k| k.to_string(), "2/3".into());
        assert_eq!(p.prev.as_deref(), Some("/fr/x/by-progress/"));
        assert_eq!(p.next.as_deref(), Some("/fr/x/by-progress/page/3/"));
        assert_eq!(p.pages.iter().filter(|l| l.current).count(), 1);
        assert_eq!(p.orders.iter().map(|o| o.href.as_str()).collect::<Vec<_>>(), ["/fr/x/", "/fr/x/by-progress/", "/fr/x/by-status/"]);
        let single = pager("fr/x/", &Order::ONLY, Order::Number, 1, 1, |p| p.to_string(), |k| k.to_string(), String::new());
        assert!(single.prev.is_none() && single.next.is_none() && single.pages.is_empty() && single.orders.is_empty());
    }
}
