/// Everyday English words that are spelled right even when the knowledge never uses them, so the
/// speller leaves them alone: "could" is not a typo of "cold", nor "somebody" of anything. They are
/// never correction targets either (a typo is corrected only towards a word the knowledge uses).
enum CommonWords {
    static let english: Set<String> = {
        let words = """
            a about above across actually after afternoon again against ago ahead all almost alone along already also although \
            always am amazing among an and angry annoyed another answer answered answers any anybody anymore anyone anything \
            anyway anywhere appreciate are area around arrive as ask asked asking at attached available away awesome awful back \
            bad badly be became because become been before began begin behind being believe below best better between big bit \
            both bother bought boyfriend break broke broken brother brought but buy buying by call called calling came can \
            cannot cant care careful case cause certain certainly chance check checked checking child children choose chose \
            clear clearly close come comes coming completely confused could couldnt couple course crazy cup daughter day days \
            dear decide decided definitely did didnt different do does doesnt doing done dont door double down during each \
            early easy either else email end enough entire especially even evening ever every everybody everyone everything \
            exactly example except excuse expect expected explain fact family far fast father feel feeling felt few figure \
            fine finally find finished first fix fixed folks for forget forgot forgotten found friend friends from front full \
            funny gave get gets getting gift girlfriend give given gives giving glad go goes going gone gonna good got gotta \
            great guess guy guys had half happen happened happening happens happy hard has hasnt have havent having he hear \
            heard hello help helped helpful helping her here hers herself hey hi him himself his hold home honestly hope \
            hopefully hour hours house how however hubby huge husband i idea if im important in indeed instead into is isnt it \
            its itself ive job just keep keeps kept kid kids kind kinda know knew known last late lately later least leave \
            left less let lets life like liked likely little live long look looked looking lot lots love made make makes \
            making man many matter maybe me mean means meant meanwhile mind mine minute minutes miss missed mom moment money \
            month months more morning most mother much mum must my myself name need needed needs never new next nice night no \
            nobody none nope nor not nothing notice now number of off often oh okay old on once one ones only onto open or \
            other others otherwise our ours out over own paid part past pay people perhaps person pick place plan please plus \
            point possible possibly pretty probably problem problems pretty put question questions quick quickly quite rather \
            read ready real really reason received recently remember reply right said same saw say saying says second see \
            seem seemed seems seen sent seriously several shall she should shouldnt show since sister sit so some somebody \
            somehow someone something sometime sometimes somewhere son soon sorry sort sounds speak still stop stuff such \
            suppose supposed sure take taken takes talk talking tell telling than thank thanks that thats the their theirs \
            them themselves then there therefore these they thing things think this those though thought through thru time \
            times to today together told tomorrow tonight too took totally tried tries truly try trying turn twice two under \
            understand unfortunately until up upon us use used using usual usually very wait waited waiting want wanted wanting \
            wants was wasnt way we week weekend weeks well went were werent what whatever when whenever where whether which \
            while who whole whom whose why wife will wish with within without wonder wondering wont work worked working \
            worried worry would wouldnt wow write wrong yeah year years yes yesterday yet you youre your yours yourself
            """
        return Set(words.split(separator: " ").map(String.init))
    }()
}
