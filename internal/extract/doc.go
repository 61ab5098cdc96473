package extract

// How a strategy's text maps to a draft strategy file
//
// Reading. The text is split into items: headings, paragraphs, list items
// and table rows (text.go). Before that, what comes before a line
// "Transkript:" is dropped (a document library's page around the text),
// and so are page numbers: lines such as "3", "Sida 3 av 12", "- 3 -"
// (unless the number sits between two short lines: a table cell), a
// number ending a page of text without line breaks when the pages around
// it end in the numbers before and after it, "Sida 3 av 4" inside a
// paragraph, and running headers (short lines with a digit that recur on
// three pages or more). A paragraph that a page break cut ("… behöver 6"
// then "särskilt prioriteras") is joined, a word hyphenated across the
// break too. Within a block, a line ending in a word that cannot end a
// heading ("och", "för"), or a wrapped line of a long paragraph, runs on
// into the next. A short line without final punctuation is a heading.
// The table of contents (titles with dot leaders and page numbers, or the
// short lines after "Innehåll") is removed, and its titles are kept:
// in text without line breaks they mark where headings are, so that
// "Långsiktigt mål 1: Fler nya Östersundare Östersund behöver …" splits
// after the title. Without a table of contents a heading inside a
// paragraph is found at a sentence start by its label ("Mål 2", "Delmål
// 1.1", "Fokusområde 3:", "Effektmål 1:", "Område inflyttning"), or by a
// section word followed by a capital ("Kvantitativa mål Minst …",
// "Strategi Kommunen ska …"); its title runs to where the next sentence
// starts: a heading word, a word that usually starts a sentence
// ("Kommunen", "Andelen", "För"), else the last capitalised word before
// the first full stop.
//
// Structure (build.go, headings.go). Headings set the place in the tree:
//
//   - Focus areas: "Fokusområde", "Strategiområde", "Målområde",
//     "Insatsområde", "Område X", "Prioriterat område" with a number or a
//     title; numbered headings ("1. Arbete och försörjning") under a
//     heading "Fokusområden", "Prioriterade områden", "Områden" …; list
//     items after a line such as "… utifrån fyra fokusområden:" or
//     "… fastställt politiska prioriteringar:". An area is prioritised
//     when its heading or list says "priorit…". Areas found twice (a list,
//     then a heading) are one.
//   - Long-term goals (level langsiktigt): "Långsiktigt mål 2:",
//     "Långsiktigtmål 4:", "Mål 1", "Mål 1.1", "Mål: …", "Övergripande
//     mål: …", "Mål för området: …"; "Effektmål N" when no goal is open or
//     the open one is another Effektmål; a bare "Mål" heading followed by
//     a short sentence (the sentence is the goal); numbered headings under
//     "Långsiktiga mål"; list items under a goals heading.
//   - Sub-goals (level delmal): "Delmål 1.1", "Effektmål" under a goal,
//     "Mål 1.1" under "Mål 1", list items under "Delmål", and in a
//     "Delmål" section without line breaks the first sentence and the
//     sentences that open the same way (four words or more in common).
//   - Goals found outside any area are placed in the areas that have no
//     goal when their numbers agree, in order (marked for checking), and
//     otherwise get an area each in the file.
//   - A section word says what follows: "Kvantitativa mål", "Målvärden",
//     "Mätbara mål" (every sentence is a target), "Strategi", "Åtaganden",
//     "Insatser", "Så här gör vi" (every sentence is a commitment),
//     "Delmål", "Begreppsförklaring" / "Begrepp" / "Termer, begrepp och
//     definitioner" / "Ord som används" (definitions), "Ansvar" /
//     "Huvudansvariga nämnder" (bodies), "Uppföljning", "Indikatorer"
//     (lists of measures: no targets), and the document's own chapters
//     ("Inledning", "Bakgrund", "Syfte" …), which close the open area.
//
// Targets (targets.go). A sentence is a target when it states a level, a
// direction or a comparison:
//
//   - Level: a comparator before a number ("minst 300", "högst 10 %",
//     "cirka ett hundratal", "mer än", "under 5 %"), an approximate number
//     ("ett tiotal"), or a verb of level ("ska vara 100 procent", "uppgår
//     till", "öka … till 60 procent"). The number may be written "5 000",
//     "10,5", in words ("fyra", "hälften" = 50 %, "tre av fyra" = 75 %).
//     The unit is "%" for per cent, "procentenheter", "personer" for nouns
//     that count people ("nyanlända", "praktikanter", "av de som …"),
//     else the noun after the number past plural adjectives ("12 öppna
//     mötesplatser" → mötesplatser), else the noun of "Antalet …". Kind
//     per_year with "årligen", "per år", "varje år"; threshold otherwise,
//     with the year marked "år 2020", "till 2020", "senast 2020" (the last
//     one outside a starting point "från 48 procent år 2019", which gives
//     base_year and base_value).
//   - Direction: "ska öka", "ska minska", "ska halveras" … with nothing
//     after the verb ("Kommunen ska öka samverkan" is no target).
//   - Relative: "högst på samma nivå som …", "i nivå med", "motsvara
//     andelen …", "… lägre bland X än bland Y"; the comparator comes from
//     högst/minst or the direction, the allowed difference from
//     "N procentenheter".
//   - Not a target: a report of the past without "ska" ("har tagit emot",
//     "var 14 procent", "sedan 2006"), a forecast ("kommer att", "beräknas"),
//     an action of the organisation with a number but no year or
//     frequency ("Regionen ska översätta … till minst tio språk": a
//     commitment). Outside a goal, an area or a targets section a level
//     needs a comparator and a year or frequency.
//   - Tables of targets: a header with "Målvärde (år)" and optionally
//     "Utgångsläge (år)"; rows as tab- or "|"-separated lines, one cell
//     per paragraph (DOCX), or run together without borders. Without a
//     comparator in the cell, the target is at least the value, or at
//     most when it is below the starting value.
//
// Commitments. "Kommunen ska …", "Regionen ska …", "Vi ska …", "<body>
// ska …" ("Socialnämnden ska …", with the body), "Alla nämnder ska …",
// and obligations in the passive ("Alla nyanlända ska erbjudas …", "… ska
// tas fram"), in a goal or area; every sentence of a commitments section
// that is not a target; list items after "Kommunen ska:" (the lead-in is
// put before each) or "Det här gör kommunen:". A sentence that points back
// ("Detta …", or starts with a word that begins one of the previous
// commitment's words: "Fördelning" after "fördelningstal") continues the
// commitment before it. A target stated as "Kommunen ska …" is both.
//
// Definitions (definitions.go): "Term – förklaring", "Term: förklaring",
// a term on its own line with its explanation below, and unmarked terms
// in running text ("Asylsökande person som …"): one to four words at a
// sentence start, the first not a pronoun or article, followed by a word
// that starts an explanation ("person", "personer", "alla", "den", "en" …).
// Sentences that start otherwise continue the definition before. A list of
// "Term - förklaring" items is read as definitions anywhere.
//
// Responsible bodies: "Huvudansvariga nämnder: A, B", "Ansvar: A",
// "Medverkande: C" (area or document), bodies named as headings under
// "Ansvar" with their duties ("Kommunfullmäktige ska därför:" and the list
// after it), "X ansvarar för …", "X har det övergripande ansvaret …", and
// tables of goals or areas and their responsible bodies. A body is a name
// ending in nämnd(en), förvaltning(en), styrelsen (of a kommun, region or
// landsting), fullmäktige, enheten, avdelningen, nätverket, chefer …;
// state agencies (Arbetsförmedlingen, Länsstyrelsen) are not bodies.
//
// Follow-up and revision: a sentence about the document (or in a
// follow-up section) with "följs upp", "utvärderas", "redovisas" and
// "årligen" / "vartannat år" / "vart fjärde år" gives the interval ("en
// fördjupad …" the deeper interval), "i samband med bokslut" the occasion,
// "redovisas till kommunstyrelsen" the receiver; "revideras senast 2020",
// "sker en revidering … innan 2020", "Uppdateras: 2015" the revision year,
// and a sentence starting "Om …" its condition.
//
// Metadata (meta.go): the cover's labelled fields ("Titel:", "Typ:",
// "Fastställt:", "Beslutat av:", "Beslutsdatum:", "Dnr", "Diarienummer:",
// "Dokumentägare:", "Giltighetstid:" …); "Antagen av X <datum>", "X antog
// strategin den …", a decision reference "Kf 169/2017" (paragraph 169,
// 2017); case numbers "KS 2016/379", "KS-2013/1073", "KS/2015/0173"; the
// title from the cover (cut before its metadata, split from its subtitle
// after a year or before a second kind word, without a leading
// organisation name); the kind from "Typ:" or the title's first word that
// ends in a kind ("Integrationsstrategi"), else the kind the text calls
// itself most; the organisation named most often ("Östersunds kommun",
// "Falu kommun", "Region Jämtland Härjedalen", "Jämtlands läns landsting",
// "i Dalarna"), counting the cover three times and preferring a region
// when a regional body adopted the document. Year: the adoption year, else
// the decision reference's year, else the first year of the title, else
// the first year of validity.
//
// The file (file.go). Every item is preceded by "# Ur texten: »…«".
// Required values the text does not give get a placeholder and a comment
// "# Kontrollera: …": an organisation that could not be resolved (riket,
// "00"), a missing title or kind, an adopted document without a date
// (status utkast), a threshold target without a year, areas and goals made
// to hold what the text gave outside them, and the indicators every
// target needs (source: manual, titled by the target's subject).
