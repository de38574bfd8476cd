"""Hand-written source stories for the dedup reprint corpus (original text, fictionalised).

Each story has paragraphs, an optional extra paragraph (added top or bottom by some copies),
sentence rewrites (old fragment -> reworded fragment) for the re-worded copies, and the list of
copy kinds to generate. ``make_reprints.py`` turns these into ``reprints.jsonl``.
"""

# ruff: noqa: E501
from __future__ import annotations

from typing import Any

Story = dict[str, Any]

STORIES: list[Story] = [
    {
        "key": "kharkiv-substation",
        "title": "Drone strike knocks out power in Kharkiv districts",
        "dateline": "KHARKIV",
        "paras": [
            "A Russian drone attack overnight damaged an electrical substation in Kharkiv, leaving about 40,000 households in three districts without power, regional governor Oleh Syniehubov said on Tuesday.",
            "Repair crews worked through the morning and restored supply to most homes by noon, the city's utility said. Two employees of the substation were treated for minor injuries.",
            "Syniehubov said air defences shot down nine of the fourteen drones launched at the region, and that debris from one of them set fire to a warehouse in the Kyivskyi district.",
            "Kharkiv, Ukraine's second-largest city, lies about 30 kilometres from the Russian border and has been a frequent target of drone and glide-bomb attacks.",
        ],
        "extra": "The attack came hours after Ukraine's energy ministry warned that the grid was operating with almost no reserve capacity ahead of the first cold snap of the season.",
        "rewrites": [
            (
                "leaving about 40,000 households in three districts without power",
                "cutting electricity to roughly 40,000 homes across three districts",
            ),
            (
                "Repair crews worked through the morning and restored supply to most homes by noon",
                "Engineers spent the morning on repairs and had brought power back to most households by midday",
            ),
            ("has been a frequent target of", "has repeatedly been hit by"),
        ],
        "copies": ["reprint", "trim", "reword", "boiler"],
    },
    {
        "key": "odesa-port-grain",
        "title": "Missile hits grain terminal in Odesa port",
        "dateline": "ODESA",
        "paras": [
            "A ballistic missile struck a grain terminal at the port of Pivdennyi near Odesa on Wednesday evening, destroying a storage hangar and killing one dock worker, Ukraine's navy said.",
            "Navy spokesman Dmytro Pletenchuk said about 3,000 tonnes of wheat bound for Egypt had been lost in the fire, which took firefighters five hours to put out.",
            "A Panama-flagged bulk carrier moored at the neighbouring berth was slightly damaged but its crew of 21 was unharmed, he said.",
            "Ukraine has exported more than 60 million tonnes of cargo through its own Black Sea corridor since Russia quit a U.N.-brokered shipping deal, according to government figures.",
        ],
        "extra": "Insurance brokers in London said war-risk premiums for ships calling at Ukrainian ports were likely to rise again after the strike.",
        "rewrites": [
            (
                "destroying a storage hangar and killing one dock worker",
                "killing a dock worker and wrecking a storage hangar",
            ),
            (
                "had been lost in the fire, which took firefighters five hours to put out",
                "burned in a blaze that firefighters needed five hours to extinguish",
            ),
        ],
        "copies": ["reprint", "add_bottom", "reword"],
    },
    {
        "key": "eu-sanctions-package",
        "title": "EU agrees new sanctions package targeting shadow fleet",
        "dateline": "BRUSSELS",
        "paras": [
            "European Union ambassadors on Friday approved a new package of sanctions against Russia that adds 117 tankers of the so-called shadow fleet to a list of vessels barred from EU ports.",
            "The package also lowers the price cap on Russian crude oil to 44 dollars a barrel and bans transactions with two banks in Kyrgyzstan accused of helping Moscow evade restrictions, diplomats said.",
            "Slovakia had held up the agreement for three weeks over concerns about gas supplies before receiving assurances from the European Commission, the diplomats said.",
            "Foreign policy chief Kaja Kallas said the measures would hit the revenues Russia uses to finance the war and that work on the next package had already begun.",
        ],
        "extra": "Russia's foreign ministry said the sanctions were illegal and would only harm European consumers.",
        "rewrites": [
            (
                "approved a new package of sanctions against Russia that adds 117 tankers",
                "signed off on a fresh round of Russia sanctions adding 117 tankers",
            ),
            (
                "had held up the agreement for three weeks over concerns about gas supplies",
                "blocked the deal for three weeks citing worries over its gas supply",
            ),
            (
                "would hit the revenues Russia uses to finance the war",
                "would cut into the money Moscow relies on to pay for the war",
            ),
        ],
        "copies": ["reprint", "trim", "add_top", "reword"],
    },
    {
        "key": "prisoner-exchange",
        "title": "Ukraine and Russia swap prisoners in UAE-mediated exchange",
        "dateline": "KYIV",
        "paras": [
            "Ukraine and Russia exchanged 84 prisoners of war each on Thursday in a swap mediated by the United Arab Emirates, officials in both countries said.",
            "President Volodymyr Zelensky said the Ukrainians returning home included soldiers captured during the defence of Mariupol in 2022 and four civilians.",
            "Russia's defence ministry said the returned Russian servicemen were being flown to Moscow for medical treatment and rehabilitation.",
            "The UAE foreign ministry said it was the 13th exchange it had helped arrange, bringing the total number of captives freed through its mediation to more than 4,100.",
        ],
        "extra": "Families of missing soldiers gathered outside the coordination headquarters in Kyiv, holding photographs of relatives still believed to be in captivity.",
        "rewrites": [
            (
                "exchanged 84 prisoners of war each on Thursday",
                "each handed over 84 prisoners of war on Thursday",
            ),
            (
                "were being flown to Moscow for medical treatment and rehabilitation",
                "would be taken to Moscow to receive medical care and rehabilitation",
            ),
        ],
        "copies": ["reprint", "add_top", "boiler"],
    },
    {
        "key": "zaporizhzhia-npp-power",
        "title": "Zaporizhzhia nuclear plant loses off-site power again",
        "dateline": "VIENNA",
        "paras": [
            "The Russian-occupied Zaporizhzhia nuclear power plant lost its last external power line on Saturday and switched to emergency diesel generators, the International Atomic Energy Agency said.",
            "IAEA Director General Rafael Grossi said it was the tenth complete loss of off-site power at Europe's largest nuclear plant since the war began and called on both sides to refrain from military activity near the site.",
            "The plant's six reactors are in cold shutdown, but they still need electricity to pump cooling water. The diesel generators have fuel for at least ten days, the agency said.",
            "Ukraine's energy operator said shelling had damaged the Dniprovska line, while Russian-installed officials blamed a Ukrainian drone.",
        ],
        "extra": "Grossi said he intended to travel to the region next week to discuss repairs with both Kyiv and Moscow.",
        "rewrites": [
            (
                "lost its last external power line on Saturday and switched to emergency diesel generators",
                "was cut off from its last outside power line on Saturday and is now running on emergency diesel generators",
            ),
            (
                "called on both sides to refrain from military activity near the site",
                "urged both parties to stop military operations close to the facility",
            ),
        ],
        "copies": ["reprint", "trim", "reword"],
    },
    {
        "key": "tank-repair-plant",
        "title": "Czech firm to open tank repair plant in western Ukraine",
        "dateline": "PRAGUE",
        "paras": [
            "Czech defence group Excalibur Army will open a plant in western Ukraine to repair T-72 tanks and Dana howitzers damaged in combat, the company said on Monday.",
            "The facility, whose exact location was not disclosed for security reasons, is expected to employ about 250 people and begin operating in the spring.",
            "Chief executive Jaroslav Strnad said the plant would cut the time needed to return damaged vehicles to the front from several months to a few weeks, because they would no longer need to be shipped to the Czech Republic.",
            "Ukraine's strategic industries ministry said the project was part of a wider push to localise the maintenance of Western-supplied equipment.",
        ],
        "extra": "The Czech government has also led an initiative that has sourced more than a million artillery shells for Ukraine from countries outside the European Union.",
        "rewrites": [
            (
                "is expected to employ about 250 people and begin operating in the spring",
                "should start work in the spring with a staff of around 250",
            ),
        ],
        "copies": ["reprint", "add_bottom"],
    },
    {
        "key": "black-sea-drone-boat",
        "title": "Ukraine says sea drones hit Russian patrol ship near Novorossiysk",
        "dateline": "KYIV",
        "paras": [
            "Ukrainian naval drones struck a Russian patrol ship near the port of Novorossiysk early on Sunday, a source in Ukraine's SBU security service told reporters.",
            "The source said five Sea Baby drones took part in the attack and that at least two hit the vessel, a Vasily Bykov-class ship, causing serious damage. The claim could not be independently verified.",
            "Russia's defence ministry said its forces had destroyed six unmanned boats heading for Novorossiysk but did not mention any damage to ships.",
            "Residents posted videos on social media showing flashes and tracer fire over the bay, and the local authorities briefly suspended tanker loading at the oil terminal.",
        ],
        "extra": "Ukraine has used sea drones to push much of Russia's Black Sea Fleet out of its base in occupied Sevastopol.",
        "rewrites": [
            (
                "struck a Russian patrol ship near the port of Novorossiysk early on Sunday",
                "hit a Russian patrol vessel off the port of Novorossiysk in the early hours of Sunday",
            ),
            (
                "did not mention any damage to ships",
                "made no reference to any vessels being damaged",
            ),
            (
                "Residents posted videos on social media showing",
                "Videos shared online by residents showed",
            ),
        ],
        "copies": ["reprint", "reword", "boiler", "trim"],
    },
    {
        "key": "germany-patriot",
        "title": "Germany pledges two more Patriot systems",
        "dateline": "BERLIN",
        "paras": [
            "Germany will deliver two additional Patriot air defence systems to Ukraine by the end of the year, Defence Minister Boris Pistorius said during a visit to Kyiv on Thursday.",
            "Pistorius said Berlin would also finance the purchase of 300 interceptor missiles from the U.S. manufacturer, in a deal worth about 1.2 billion euros.",
            "Ukrainian Defence Minister Denys Shmyhal thanked Germany, saying that every Patriot battery saves hundreds of lives in cities under ballistic missile attack.",
            "Germany is Ukraine's largest military donor in Europe and has already supplied three Patriot systems since 2023.",
        ],
        "extra": "Pistorius arrived in Kyiv by train and was greeted by an air raid alert shortly after his arrival.",
        "rewrites": [
            (
                "will deliver two additional Patriot air defence systems to Ukraine by the end of the year",
                "is to send Ukraine two more Patriot air defence systems before the year is out",
            ),
            (
                "thanked Germany, saying that every Patriot battery saves hundreds of lives",
                "expressed his gratitude, saying each Patriot battery saves hundreds of lives",
            ),
        ],
        "copies": ["reprint", "reword", "add_top"],
    },
    {
        "key": "pokrovsk-evacuation",
        "title": "Authorities order evacuation of families from villages near Pokrovsk",
        "dateline": "DONETSK REGION",
        "paras": [
            "Ukrainian authorities ordered the mandatory evacuation of families with children from 12 villages near the eastern city of Pokrovsk on Monday as Russian troops advanced to within six kilometres.",
            "Vadym Filashkin, governor of the Donetsk region, said about 1,900 people, including 470 children, were affected by the order, and urged residents not to delay their departure.",
            "Buses were being sent to collect evacuees and take them to the city of Dnipro, where volunteers had prepared temporary shelter in school buildings.",
            "Pokrovsk, a logistics hub with a pre-war population of about 60,000, has been under constant artillery fire for weeks.",
        ],
        "extra": "Aid workers said many elderly residents were refusing to leave despite the shelling.",
        "rewrites": [
            (
                "ordered the mandatory evacuation of families with children from 12 villages",
                "made evacuation compulsory for families with children in 12 villages",
            ),
            (
                "urged residents not to delay their departure",
                "called on people not to put off leaving",
            ),
            (
                "had prepared temporary shelter in school buildings",
                "had set up temporary shelters in schools",
            ),
        ],
        "copies": ["reprint", "trim", "reword", "boiler"],
    },
    {
        "key": "crimea-bridge-closure",
        "title": "Crimean bridge traffic halted after air alert",
        "dateline": "MOSCOW",
        "paras": [
            "Traffic on the Crimean bridge was halted for nearly four hours on Friday after an air raid alert, Russian-installed authorities said, leaving hundreds of cars queuing on both sides.",
            "The authorities gave no reason for the alert, but Russia's defence ministry later said it had shot down 11 Ukrainian drones over the Kerch Strait and the Sea of Azov.",
            "The 19-kilometre bridge, which links the annexed peninsula to southern Russia, has been damaged twice in Ukrainian attacks since 2022.",
        ],
        "extra": "Ferry services across the strait were also suspended for several hours.",
        "rewrites": [
            (
                "was halted for nearly four hours on Friday after an air raid alert",
                "was stopped for almost four hours on Friday because of an air raid alert",
            ),
        ],
        "copies": ["reprint", "add_bottom", "reword"],
    },
    {
        "key": "kyiv-metro-shelter",
        "title": "Thousands shelter in Kyiv metro during combined attack",
        "dateline": "KYIV",
        "paras": [
            "Thousands of people spent the night in Kyiv's metro stations as Russia launched a combined attack with missiles and drones on the capital, the city's military administration said.",
            "Mayor Vitali Klitschko said falling debris damaged a kindergarten and two apartment blocks in the Solomianskyi and Darnytskyi districts and that five people had been taken to hospital.",
            "Ukraine's air force said it had shot down 31 of 36 cruise missiles and 112 of 140 drones launched across the country overnight.",
            "Explosions were heard across the city from around 2 a.m., and the alert lasted more than five hours.",
        ],
        "extra": "The metro operator said trains on the Sviatoshynsko-Brovarska line would run with delays because of damage near Lisova station.",
        "rewrites": [
            (
                "spent the night in Kyiv's metro stations",
                "sheltered overnight in metro stations across Kyiv",
            ),
            (
                "damaged a kindergarten and two apartment blocks",
                "hit a kindergarten and two residential buildings",
            ),
            (
                "Explosions were heard across the city from around 2 a.m., and the alert lasted more than five hours.",
                "Blasts rang out across the city from about 2 a.m., with the alert lasting over five hours.",
            ),
        ],
        "copies": ["reprint", "trim", "reword", "boiler"],
    },
    {
        "key": "f16-delivery",
        "title": "Norway completes F-16 deliveries to Ukraine",
        "dateline": "OSLO",
        "paras": [
            "Norway has completed the delivery of the six F-16 fighter jets it pledged to Ukraine, the Norwegian defence ministry said on Wednesday.",
            "Defence Minister Tore Sandvik said the aircraft had been handed over in Denmark after maintenance and that Norwegian instructors would continue to train Ukrainian pilots and ground crews.",
            "The jets will help Ukraine intercept cruise missiles and drones, Sandvik said, adding that Norway would also provide spare parts and munitions worth 2.1 billion crowns.",
        ],
        "extra": "Denmark, the Netherlands and Belgium have also committed F-16s to Ukraine.",
        "rewrites": [
            (
                "has completed the delivery of the six F-16 fighter jets it pledged",
                "has finished handing over the six F-16 jets it promised",
            ),
        ],
        "copies": ["reprint", "add_top"],
    },
    {
        "key": "belgorod-shelling",
        "title": "Shelling kills two in Russia's Belgorod, governor says",
        "dateline": "MOSCOW",
        "paras": [
            "Two people were killed and seven wounded when Ukrainian shelling hit the centre of the Russian city of Belgorod on Saturday, regional governor Vyacheslav Gladkov said.",
            "Gladkov said the strike damaged a shopping centre, a bus and several parked cars, and that the wounded included a teenage girl in serious condition.",
            "Ukraine did not comment. Kyiv says it targets military infrastructure in Russia in response to Russian attacks on Ukrainian cities.",
        ],
        "extra": "Belgorod, about 40 km from the Ukrainian border, has been hit repeatedly since the start of the war.",
        "rewrites": [
            (
                "Two people were killed and seven wounded when Ukrainian shelling hit",
                "Ukrainian shelling killed two people and wounded seven when it struck",
            ),
            (
                "the wounded included a teenage girl in serious condition",
                "a teenage girl was among the injured and was in a serious condition",
            ),
        ],
        "copies": ["reprint", "reword", "boiler"],
    },
    {
        "key": "grain-corridor-insurance",
        "title": "Ukraine launches state insurance for Black Sea shipping",
        "dateline": "KYIV",
        "paras": [
            "Ukraine launched a state-backed insurance scheme for cargo ships using its Black Sea ports on Tuesday, aiming to reduce war-risk premiums that exporters say make their grain uncompetitive.",
            "The scheme, run by the export credit agency with a 50 million dollar guarantee from the World Bank, will cover hull and cargo damage caused by missile or drone strikes, the economy ministry said.",
            "Economy Minister Yulia Svyrydenko said premiums for a typical voyage could fall from about 1 percent of the vessel's value to 0.4 percent.",
            "Traders welcomed the move but said the cover limits of 25 million dollars per ship were too low for large bulk carriers.",
        ],
        "extra": "The first policy was issued to a Turkish-owned vessel loading sunflower oil in Chornomorsk.",
        "rewrites": [
            (
                "aiming to reduce war-risk premiums that exporters say make their grain uncompetitive",
                "in a bid to bring down war-risk premiums which exporters blame for making their grain uncompetitive",
            ),
            ("Traders welcomed the move but said", "Traders praised the step but complained that"),
        ],
        "copies": ["reprint", "trim", "reword"],
    },
    {
        "key": "mobilisation-law",
        "title": "Ukrainian parliament passes law on discharge after 36 months",
        "dateline": "KYIV",
        "paras": [
            "Ukraine's parliament on Thursday passed a law allowing soldiers who have served 36 months continuously to be discharged, a long-awaited change demanded by troops and their families.",
            "The law passed with 262 votes. It will come into force only after a new group of recruits has completed training, to prevent gaps at the front, lawmakers said.",
            "Military analysts said the change could ease morale problems but would increase pressure on the army to recruit, as Russia continues to press its offensive in the east.",
            "The bill still needs to be signed by President Volodymyr Zelensky.",
        ],
        "extra": "Protesters gathered outside the parliament building for the third week in a row, calling for clear terms of service.",
        "rewrites": [
            (
                "passed a law allowing soldiers who have served 36 months continuously to be discharged",
                "approved legislation letting soldiers leave the army after 36 months of continuous service",
            ),
            (
                "could ease morale problems but would increase pressure on the army to recruit",
                "may help morale but would add to the army's need to recruit",
            ),
        ],
        "copies": ["reprint", "add_bottom", "reword", "boiler"],
    },
    {
        "key": "rail-sabotage-poland",
        "title": "Poland charges two over railway sabotage",
        "dateline": "WARSAW",
        "paras": [
            "Polish prosecutors charged two Ukrainian citizens on Monday with sabotage on behalf of Russian intelligence over an explosion that damaged a railway line used to deliver aid to Ukraine.",
            "Prosecutors said the men had planted an explosive charge on the Warsaw-Lublin line near the village of Mika, destroying a section of track shortly before a freight train passed. Nobody was hurt.",
            "Prime Minister Donald Tusk said the suspects had fled to Belarus after the attack and that Poland would seek their extradition, though he said it was unlikely to be granted.",
            "Poland has arrested dozens of people in the past two years on suspicion of spying or sabotage for Russia.",
        ],
        "extra": "Moscow has denied any involvement in sabotage in Europe.",
        "rewrites": [
            (
                "destroying a section of track shortly before a freight train passed",
                "wrecking part of the track moments before a freight train went by",
            ),
        ],
        "copies": ["reprint", "trim", "add_top"],
    },
    {
        "key": "peace-talks-istanbul",
        "title": "Delegations meet in Istanbul for technical talks",
        "dateline": "ISTANBUL",
        "paras": [
            "Ukrainian and Russian delegations met in Istanbul on Wednesday for technical talks on humanitarian issues, Turkish Foreign Minister Hakan Fidan said, the first direct contact between the two sides in four months.",
            "Fidan said the talks, held at the Ciragan Palace, focused on the return of children and the bodies of fallen soldiers, and lasted just under two hours.",
            "The Ukrainian delegation was led by Rustem Umerov, secretary of the National Security and Defence Council, while Vladimir Medinsky headed the Russian side.",
            "Both sides agreed to exchange the remains of 1,000 soldiers each, Umerov told reporters after the meeting, but no date was set for further talks.",
        ],
        "extra": "The talks were held under heavy security, and journalists were kept behind barriers several hundred metres from the palace.",
        "rewrites": [
            (
                "the first direct contact between the two sides in four months",
                "marking the first face-to-face contact between them in four months",
            ),
            (
                "focused on the return of children and the bodies of fallen soldiers",
                "centred on returning children and the remains of soldiers killed in action",
            ),
        ],
        "copies": ["reprint", "reword", "trim", "boiler"],
    },
    {
        "key": "dnipro-strike-clinic",
        "title": "Missile hits clinic in Dnipro",
        "dateline": "DNIPRO",
        "paras": [
            "A Russian missile hit a private medical clinic in the city of Dnipro on Friday afternoon, killing three people and injuring 16, regional governor Serhiy Lysak said.",
            "Rescuers pulled two patients from the rubble of the three-storey building, which partly collapsed after the strike. A nearby veterinary hospital was also damaged.",
            "Lysak said the attack was carried out with an Iskander-M ballistic missile, leaving air defences little time to react.",
        ],
        "extra": "The city declared Saturday a day of mourning.",
        "rewrites": [
            ("killing three people and injuring 16", "leaving three people dead and 16 injured"),
            (
                "Rescuers pulled two patients from the rubble of the three-storey building, which partly collapsed after the strike.",
                "Two patients were rescued from the debris of the three-storey building, part of which caved in after the strike.",
            ),
        ],
        "copies": ["reprint", "reword", "add_bottom"],
    },
    {
        "key": "energy-imports",
        "title": "Ukraine raises electricity imports from EU",
        "dateline": "KYIV",
        "paras": [
            "Ukraine imported a record 2,150 megawatts of electricity from European Union neighbours on Sunday after Russian strikes disabled several thermal power plants, grid operator Ukrenergo said.",
            "Ukrenergo chief Vitaliy Zaichenko said imports from Poland, Slovakia, Hungary, Romania and Moldova were close to the technical maximum allowed by interconnection capacity.",
            "Scheduled power cuts of up to four hours a day will remain in place in most regions this week, the company said.",
        ],
        "extra": "ENTSO-E, the European network of grid operators, agreed last year to raise the import limit to 2,100 megawatts.",
        "rewrites": [
            (
                "were close to the technical maximum allowed by interconnection capacity",
                "were near the technical ceiling permitted by cross-border capacity",
            ),
        ],
        "copies": ["reprint", "trim", "boiler"],
    },
    {
        "key": "kursk-incursion-anniversary",
        "title": "General Staff reports fighting in Kursk border area",
        "dateline": "KYIV",
        "paras": [
            "Ukrainian forces repelled 14 Russian assaults near the village of Tetkino in Russia's Kursk region over the past day, the General Staff said in its evening update on Wednesday.",
            "Commander-in-chief Oleksandr Syrskyi said Russian units were trying to cut the supply routes of Ukrainian troops holding positions along the border and were using glide bombs and guided missiles.",
            "Russia's defence ministry said its troops had taken control of the nearby village of Novyi Put and inflicted heavy losses, a claim Kyiv denied.",
            "Syrskyi said Ukrainian forces had also struck a Russian command post and an ammunition depot in the area.",
        ],
        "extra": "Independent analysts at the Institute for the Study of War said geolocated footage confirmed limited Russian advances near Tetkino.",
        "rewrites": [
            (
                "were trying to cut the supply routes of Ukrainian troops holding positions along the border",
                "sought to sever supply lines to Ukrainian troops dug in along the border",
            ),
            ("a claim Kyiv denied", "which Kyiv rejected"),
        ],
        "copies": ["reprint", "reword", "add_top", "trim"],
    },
    {
        "key": "short-lviv-explosions",
        "title": "Explosions heard in Lviv",
        "dateline": "LVIV",
        "short": True,
        "paras": [
            "Explosions were heard in the western Ukrainian city of Lviv early on Monday as air defences engaged Russian drones, mayor Andriy Sadovyi said on Telegram. There were no immediate reports of casualties or damage.",
        ],
        "extra": "Air raid alerts were in effect across western Ukraine.",
        "rewrites": [
            ("Explosions were heard in", "Blasts rang out in"),
            (
                "There were no immediate reports of casualties or damage.",
                "No casualties or damage were immediately reported.",
            ),
        ],
        "copies": ["reprint", "reword", "add_bottom"],
    },
    {
        "key": "short-sumy-bus",
        "title": "Drone hits bus in Sumy region",
        "dateline": "SUMY",
        "short": True,
        "paras": [
            "A Russian drone struck a passenger bus near the town of Bilopillia in Ukraine's Sumy region on Saturday, killing the driver and wounding five passengers, the regional military administration said. The bus was carrying villagers to a local market.",
        ],
        "extra": "Bilopillia lies about 10 km from the Russian border.",
        "rewrites": [
            (
                "killing the driver and wounding five passengers",
                "killing its driver and injuring five passengers",
            ),
        ],
        "copies": ["reprint", "reword"],
    },
    {
        "key": "short-moldova-drone",
        "title": "Drone debris found in Moldova",
        "dateline": "CHISINAU",
        "short": True,
        "paras": [
            "Moldovan police found the wreckage of a drone in a field near the village of Ceadir-Lunga on Thursday, the interior ministry said. Moldova summoned the Russian ambassador to protest the violation of its airspace.",
        ],
        "extra": "It was the fifth such incident this year.",
        "rewrites": [
            ("found the wreckage of a drone in a field", "discovered drone debris in a field"),
            ("to protest the violation of its airspace", "over the breach of its airspace"),
        ],
        "copies": ["reprint", "reword", "boiler"],
    },
    {
        "key": "short-kherson-ferry",
        "title": "Kherson ferry service suspended",
        "dateline": "KHERSON",
        "short": True,
        "paras": [
            "Authorities in Kherson suspended the river ferry to the islands on the Dnipro on Tuesday after Russian troops shelled the pier, wounding a ferry worker. About 300 residents still live on the islands, the city administration said.",
        ],
        "extra": "Residents were advised to stock up on food and water.",
        "rewrites": [
            (
                "suspended the river ferry to the islands on the Dnipro on Tuesday",
                "halted the Dnipro river ferry to the islands on Tuesday",
            ),
        ],
        "copies": ["reprint", "add_bottom", "reword"],
    },
    {
        "key": "baltic-cable",
        "title": "Finland investigates damaged Baltic cable",
        "dateline": "HELSINKI",
        "paras": [
            "Finnish police said on Sunday they had seized a tanker suspected of damaging an undersea power cable between Finland and Estonia by dragging its anchor along the seabed.",
            "The Estlink 2 cable, which can carry 650 megawatts, was disconnected on Christmas Day, and repairs are expected to take several months, grid operator Fingrid said.",
            "Police said the tanker, registered in the Cook Islands, was part of Russia's shadow fleet used to export oil in defiance of Western sanctions. The crew was being questioned.",
            "NATO said it would increase its naval presence in the Baltic Sea in response to the incident.",
        ],
        "extra": "Estonian officials said electricity prices in the country had risen sharply since the cable went offline.",
        "rewrites": [
            (
                "by dragging its anchor along the seabed",
                "by dragging an anchor across the sea floor",
            ),
            ("The crew was being questioned.", "Investigators were interviewing the crew."),
        ],
        "copies": ["reprint", "trim", "reword", "boiler"],
    },
    {
        "key": "recruitment-centres",
        "title": "Ukraine opens recruitment centres in EU cities",
        "dateline": "KYIV",
        "paras": [
            "Ukraine's defence ministry has opened recruitment offices in Warsaw and Prague where Ukrainians living abroad can sign contracts to join the army's new brigades, deputy minister Kateryna Chernohorenko said.",
            "The offices will not conduct mobilisation but only accept volunteers, she said, adding that 180 people had applied during the first week.",
            "About 4.3 million Ukrainians have temporary protection status in the European Union, according to Eurostat figures.",
        ],
        "extra": "A third office is planned to open in Vilnius next month.",
        "rewrites": [
            (
                "where Ukrainians living abroad can sign contracts to join the army's new brigades",
                "at which Ukrainians abroad can sign up for the army's newly formed brigades",
            ),
        ],
        "copies": ["reprint", "add_top", "reword"],
    },
    {
        "key": "turkey-drone-factory",
        "title": "Baykar nears completion of Ukrainian drone plant",
        "dateline": "ANKARA",
        "paras": [
            "Turkish drone maker Baykar is close to finishing a factory near Kyiv that will produce its TB2 and Akinci drones, Ukraine's ambassador to Turkey Vasyl Bodnar said in an interview published on Friday.",
            "Bodnar said the plant would employ about 500 people and should be completed within a year, despite Russian attacks on Ukrainian industry.",
            "Baykar's TB2 drones played a prominent role in the first months of the war, when they were used to strike Russian armoured columns and supply lines.",
        ],
        "extra": "Baykar's founder Haluk Bayraktar has said the company's engineers visit the site regularly.",
        "rewrites": [
            (
                "is close to finishing a factory near Kyiv that will produce",
                "has almost completed a plant near Kyiv to manufacture",
            ),
            (
                "played a prominent role in the first months of the war",
                "featured heavily in the early months of the war",
            ),
        ],
        "copies": ["reprint", "reword", "boiler", "trim"],
    },
    {
        "key": "short-drone-count",
        "title": "Ukraine says 80 drones shot down overnight",
        "dateline": "KYIV",
        "short": True,
        "paras": [
            "Ukraine's air force said it shot down 80 of the 112 drones Russia launched overnight, mostly over the Chernihiv, Poltava and Kirovohrad regions. Hits were recorded in six locations, it said.",
        ],
        "extra": "Most of the drones were Shahed-type attack drones and decoys.",
        "rewrites": [
            (
                "shot down 80 of the 112 drones Russia launched overnight",
                "downed 80 of 112 Russian drones overnight",
            ),
        ],
        "copies": ["reprint", "reword"],
    },
]

# Daily reports written from one template: each day is a different story (must not merge).
TEMPLATE_SERIES: list[Story] = [
    {
        "key": "ru-mod-drones",
        "title": "Russia says it downed {n} Ukrainian drones overnight",
        "template": "Russian air defence systems intercepted and destroyed {n} Ukrainian drones overnight over the {a} and {b} regions, the Russian defence ministry said on {day}. {m} of the drones were downed over {a}, the ministry said in a statement on Telegram. There was no immediate information about damage or casualties.",
        "days": [
            {"n": "57", "a": "Bryansk", "b": "Kursk", "day": "Tuesday", "m": "Thirty-one"},
            {"n": "43", "a": "Belgorod", "b": "Voronezh", "day": "Wednesday", "m": "Twenty"},
            {"n": "61", "a": "Bryansk", "b": "Oryol", "day": "Thursday", "m": "Forty"},
            {"n": "38", "a": "Kursk", "b": "Belgorod", "day": "Friday", "m": "Seventeen"},
        ],
        "copy_day": 2,
    },
    {
        "key": "ua-losses",
        "title": "Russian losses update for {date}",
        "template": "Russia has lost about {total} troops in Ukraine since the start of the full-scale invasion, including {day_n} in the past day, Ukraine's General Staff said on {day}. Over the past day Ukrainian forces also destroyed {tanks} tanks, {artillery} artillery systems and {drones} operational-tactical drones, the General Staff said. The figures cannot be independently verified.",
        "days": [
            {
                "total": "1,118,240",
                "day_n": "1,030",
                "day": "Monday",
                "date": "3 March",
                "tanks": "7",
                "artillery": "31",
                "drones": "212",
            },
            {
                "total": "1,119,180",
                "day_n": "940",
                "day": "Tuesday",
                "date": "4 March",
                "tanks": "4",
                "artillery": "26",
                "drones": "187",
            },
            {
                "total": "1,120,290",
                "day_n": "1,110",
                "day": "Wednesday",
                "date": "5 March",
                "tanks": "9",
                "artillery": "40",
                "drones": "256",
            },
            {
                "total": "1,121,150",
                "day_n": "860",
                "day": "Thursday",
                "date": "6 March",
                "tanks": "3",
                "artillery": "22",
                "drones": "198",
            },
        ],
        "copy_day": 1,
    },
    {
        "key": "kherson-shelling",
        "title": "Shelling in Kherson region: {killed} killed",
        "template": "Russian shelling killed {killed} people and wounded {wounded} in the Kherson region over the past day, regional governor Oleksandr Prokudin said on {day}. Russian troops struck residential areas in {a}, {b} and the city of Kherson, damaging {houses} houses, a gas pipeline and a pharmacy, Prokudin said. Russian forces fired {shells} shells and used drones and guided bombs, he said.",
        "days": [
            {
                "killed": "two",
                "wounded": "11",
                "day": "Saturday",
                "a": "Bilozerka",
                "b": "Antonivka",
                "houses": "14",
                "shells": "412",
            },
            {
                "killed": "one",
                "wounded": "eight",
                "day": "Sunday",
                "a": "Stanislav",
                "b": "Dniprovske",
                "houses": "9",
                "shells": "378",
            },
            {
                "killed": "three",
                "wounded": "15",
                "day": "Monday",
                "a": "Beryslav",
                "b": "Bilozerka",
                "houses": "22",
                "shells": "503",
            },
            {
                "killed": "two",
                "wounded": "six",
                "day": "Tuesday",
                "a": "Chornobaivka",
                "b": "Kizomys",
                "houses": "11",
                "shells": "356",
            },
        ],
        "copy_day": 3,
    },
    {
        "key": "energy-schedule",
        "title": "Power cut schedules for {day}",
        "template": "Ukrenergo said scheduled power outages would be applied in all regions on {day} from {start} to {end}, with up to {queues} queues of consumers disconnected at the same time. The outages were needed because of damage caused by Russian attacks to generation facilities in the {a} and {b} regions, the grid operator said. Industrial consumers will face restrictions of up to {mw} megawatts.",
        "days": [
            {
                "day": "Monday",
                "start": "07:00",
                "end": "22:00",
                "queues": "two",
                "a": "Kharkiv",
                "b": "Poltava",
                "mw": "1,500",
            },
            {
                "day": "Tuesday",
                "start": "06:00",
                "end": "23:00",
                "queues": "three",
                "a": "Kyiv",
                "b": "Chernihiv",
                "mw": "2,200",
            },
            {
                "day": "Wednesday",
                "start": "08:00",
                "end": "20:00",
                "queues": "1.5",
                "a": "Dnipropetrovsk",
                "b": "Kharkiv",
                "mw": "1,100",
            },
            {
                "day": "Thursday",
                "start": "07:00",
                "end": "21:00",
                "queues": "two",
                "a": "Odesa",
                "b": "Mykolaiv",
                "mw": "1,800",
            },
        ],
        "copy_day": 0,
    },
]

TEMPLATE_SERIES.append(
    {
        "key": "city-explosions",
        "title": "Explosions heard in {city}",
        "template": "Explosions were heard in {city} on {day} night as air defence units worked against Russian attack drones, {role} {person} said on Telegram. Residents of {city} were urged to stay in shelters until the air raid alert is lifted, the {admin} administration said.",
        "days": [
            {
                "city": "Lviv",
                "day": "Monday",
                "role": "mayor",
                "person": "Andriy Sadovyi",
                "admin": "regional military",
            },
            {
                "city": "Kharkiv",
                "day": "Tuesday",
                "role": "mayor",
                "person": "Ihor Terekhov",
                "admin": "city military",
            },
            {
                "city": "Zaporizhzhia",
                "day": "Wednesday",
                "role": "governor",
                "person": "Ivan Fedorov",
                "admin": "regional military",
            },
            {
                "city": "Odesa",
                "day": "Thursday",
                "role": "mayor",
                "person": "Serhiy Lysak",
                "admin": "city military",
            },
        ],
        "copy_day": 1,
    }
)

# Same topic, same people and places, different stories: must stay apart.
SAME_TOPIC_PAIRS: list[tuple[Story, Story]] = [
    (
        {
            "key": "zelensky-macron-paris",
            "title": "Zelensky meets Macron in Paris",
            "dateline": "PARIS",
            "paras": [
                "President Volodymyr Zelensky met French President Emmanuel Macron at the Elysee Palace on Monday to discuss air defence and a possible European security force for Ukraine after a ceasefire.",
                "Macron said France would deliver additional Mistral missiles and train two more Ukrainian brigades, and that a coalition of countries was ready to deploy troops to guarantee any peace deal.",
                "Zelensky said Ukraine needed firm security guarantees before it could agree to a ceasefire, and thanked France for its support.",
            ],
            "copies": ["reprint"],
        },
        {
            "key": "zelensky-macron-london",
            "title": "Zelensky and Macron join London coalition meeting",
            "dateline": "LONDON",
            "paras": [
                "President Volodymyr Zelensky and French President Emmanuel Macron joined British Prime Minister Keir Starmer in London on Thursday for a meeting of the so-called coalition of the willing.",
                "Starmer said 26 countries had now committed to contribute to a reassurance force, while Macron said the planning was complete and only a ceasefire was missing.",
                "Zelensky urged the coalition to increase pressure on Russia through sanctions on oil exports, saying Moscow was using talks to buy time.",
            ],
            "copies": [],
        },
    ),
    (
        {
            "key": "kharkiv-glide-bomb-school",
            "title": "Glide bomb hits school in Kharkiv",
            "dateline": "KHARKIV",
            "paras": [
                "A Russian glide bomb hit a school in Kharkiv's Industrialnyi district on Thursday, injuring six people, regional governor Oleh Syniehubov said. The school was empty at the time because lessons were being held online.",
                "Syniehubov said the blast also damaged a nearby apartment block and a gas pipeline, and that rescuers were searching the rubble for a security guard.",
                "Kharkiv has been struck by dozens of glide bombs this month as Russian forces press an offensive in the north of the region.",
            ],
            "copies": ["reprint", "trim"],
        },
        {
            "key": "kharkiv-glide-bomb-market",
            "title": "Glide bombs strike Kharkiv market",
            "dateline": "KHARKIV",
            "paras": [
                "Two Russian glide bombs struck a market in Kharkiv's Kyivskyi district on Sunday, killing four people and injuring 23, regional governor Oleh Syniehubov said.",
                "Syniehubov said the bombs set fire to dozens of market stalls and a shopping centre, and that several of the injured were in a serious condition.",
                "Kharkiv has come under repeated attack by glide bombs as Russian forces press an offensive in the north of the region.",
            ],
            "copies": ["reprint"],
        },
    ),
    (
        {
            "key": "rubio-lavrov-call",
            "title": "Rubio and Lavrov discuss summit preparations",
            "dateline": "WASHINGTON",
            "paras": [
                "U.S. Secretary of State Marco Rubio spoke with Russian Foreign Minister Sergei Lavrov by phone on Monday to discuss preparations for a possible summit between Donald Trump and Vladimir Putin, the State Department said.",
                "Rubio stressed the importance of a ceasefire as a first step and said the United States wanted a lasting end to the war, the department said.",
                "Lavrov said Moscow was ready to continue contacts, according to the Russian foreign ministry, which described the conversation as constructive.",
            ],
            "copies": ["reprint", "reword"],
            "rewrites": [
                ("described the conversation as constructive", "called the talks constructive")
            ],
        },
        {
            "key": "rubio-lavrov-riyadh",
            "title": "Rubio and Lavrov meet in Riyadh",
            "dateline": "RIYADH",
            "paras": [
                "U.S. Secretary of State Marco Rubio and Russian Foreign Minister Sergei Lavrov met in Riyadh on Tuesday for more than four hours in the highest-level talks between the two countries since the war began.",
                "Rubio said the sides agreed to restore staff at their embassies and to appoint teams to work on ending the war in Ukraine, while Lavrov said the conversation had been useful.",
                "Ukraine was not invited, and President Volodymyr Zelensky said Kyiv would not recognise any agreement reached without its participation.",
            ],
            "copies": [],
        },
    ),
    (
        {
            "key": "iaea-grossi-kursk",
            "title": "Grossi visits Kursk nuclear plant",
            "dateline": "VIENNA",
            "paras": [
                "IAEA Director General Rafael Grossi visited the Kursk nuclear power plant in Russia on Tuesday and said the situation there was serious after reports of drone attacks near the site.",
                "Grossi said the plant's reactors had a limited level of protection against attack because they lacked a containment dome, and urged maximum restraint.",
                "Russia has accused Ukraine of trying to attack the plant, which Kyiv denies.",
            ],
            "copies": ["reprint"],
        },
        {
            "key": "iaea-grossi-chornobyl",
            "title": "Drone hits Chornobyl shelter, IAEA says",
            "dateline": "VIENNA",
            "paras": [
                "A drone struck the protective shelter over the destroyed reactor at the Chornobyl nuclear power plant overnight, causing a fire but no rise in radiation levels, IAEA Director General Rafael Grossi said on Friday.",
                "Grossi said the agency's team at the site heard the explosion and that firefighters responded within minutes, but that the damage to the outer cladding was serious.",
                "Ukraine blamed a Russian Shahed drone. Russia denied carrying out the attack.",
            ],
            "copies": [],
        },
    ),
]

# Generic site boilerplate wrapped around "boiler" copies.
BOILER_TOP = [
    "Advertisement",
    "Share this article",
    "By Olena Kovalenko and Mark Trent",
]
BOILER_BOTTOM = [
    "Read more: Winter fuel prices climb across Europe",
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "Related:",
    "• Analysis: what next for the front line",
    "• Explainer: how air defences work",
    "Follow us on Telegram and X for the latest updates.",
    "Photo: Smoke rises over the city after the attack. REUTERS/Staff",
    "© 2025 Northline Media. All rights reserved.",
]

# Moderately re-worded versions (every sentence touched, facts kept) for "paraphrase" copies.
PARAPHRASES: dict[str, list[str]] = {
    "kharkiv-substation": [
        "An overnight Russian drone attack damaged an electricity substation in Kharkiv, leaving some 40,000 households in three districts without power, regional governor Oleh Syniehubov said on Tuesday.",
        "Repair crews worked all morning and had restored supply to most homes by noon, according to the city's utility. Two substation employees were treated for minor injuries.",
        "Air defences shot down nine of the fourteen drones launched at the region, Syniehubov said, adding that debris from one of them started a fire at a warehouse in the Kyivskyi district.",
        "Kharkiv, Ukraine's second-biggest city, lies some 30 kilometres from the Russian border and is a frequent target of drone and glide-bomb attacks.",
    ],
    "eu-sanctions-package": [
        "EU ambassadors approved on Friday a new package of sanctions on Russia, adding 117 tankers of the so-called shadow fleet to the list of vessels barred from European Union ports.",
        "The package also cuts the price cap on Russian crude oil to 44 dollars a barrel and bans transactions with two Kyrgyz banks accused of helping Moscow evade restrictions, according to diplomats.",
        "Slovakia held up the agreement for three weeks over gas supply concerns before it received assurances from the European Commission, the diplomats said.",
        "EU foreign policy chief Kaja Kallas said the measures would hit the revenues Russia uses to finance its war, and that work had already begun on the next package.",
    ],
    "zaporizhzhia-npp-power": [
        "The Zaporizhzhia nuclear power plant, which is occupied by Russia, lost its last external power line on Saturday and had to switch to emergency diesel generators, the International Atomic Energy Agency said.",
        "It was the tenth complete loss of off-site power at Europe's largest nuclear plant since the start of the war, IAEA Director General Rafael Grossi said, calling on both sides to refrain from military activity near the site.",
        "The six reactors at the plant are in cold shutdown but still need electricity to pump cooling water, and the diesel generators have enough fuel for at least ten days, according to the agency.",
        "Shelling damaged the Dniprovska line, Ukraine's energy operator said, while officials installed by Russia blamed a Ukrainian drone.",
    ],
    "black-sea-drone-boat": [
        "Ukrainian naval drones hit a Russian patrol ship near the port of Novorossiysk early on Sunday, a source in Ukraine's SBU security service told reporters.",
        "According to the source, five Sea Baby drones were involved in the attack and at least two of them struck the vessel, a Vasily Bykov-class ship, seriously damaging it. The claim could not be verified independently.",
        "The Russian defence ministry said its forces destroyed six unmanned boats heading towards Novorossiysk, but made no mention of any damage to ships.",
        "Videos posted by residents on social media showed flashes and tracer fire over the bay, and local authorities briefly halted tanker loading at the oil terminal.",
    ],
    "pokrovsk-evacuation": [
        "On Monday Ukrainian authorities ordered a mandatory evacuation of families with children from 12 villages near the eastern city of Pokrovsk, as Russian troops advanced to within six kilometres.",
        "About 1,900 people, 470 of them children, are affected by the order, said Vadym Filashkin, the governor of the Donetsk region, who urged residents not to delay leaving.",
        "Buses are being sent to pick up evacuees and bring them to the city of Dnipro, where volunteers have prepared temporary shelter in school buildings.",
        "Pokrovsk, a logistics hub that had about 60,000 inhabitants before the war, has been under constant artillery fire for weeks.",
    ],
    "kyiv-metro-shelter": [
        "Thousands of people spent the night in metro stations in Kyiv as Russia launched a combined missile and drone attack on the capital, the city's military administration said.",
        "Falling debris damaged a kindergarten and two apartment blocks in the Solomianskyi and Darnytskyi districts, and five people were taken to hospital, Mayor Vitali Klitschko said.",
        "The Ukrainian air force said it shot down 31 of the 36 cruise missiles and 112 of the 140 drones that Russia launched across the country during the night.",
        "Explosions could be heard across the city from about 2 a.m., and the air raid alert lasted for more than five hours.",
    ],
    "peace-talks-istanbul": [
        "Delegations from Ukraine and Russia met in Istanbul on Wednesday for technical talks on humanitarian issues, their first direct contact in four months, Turkish Foreign Minister Hakan Fidan said.",
        "The talks at the Ciragan Palace lasted just under two hours and focused on the return of children and of the bodies of fallen soldiers, according to Fidan.",
        "Rustem Umerov, secretary of the National Security and Defence Council, led the Ukrainian delegation, and Vladimir Medinsky headed the Russian side.",
        "Umerov told reporters after the meeting that both sides had agreed to exchange the remains of 1,000 soldiers each, but that no date had been set for further talks.",
    ],
    "short-lviv-explosions": [
        "Mayor Andriy Sadovyi said on Telegram that explosions were heard early on Monday in the western Ukrainian city of Lviv as air defences engaged Russian drones. No casualties or damage were reported immediately.",
    ],
    "short-sumy-bus": [
        "A passenger bus was hit by a Russian drone near the town of Bilopillia in the Sumy region of Ukraine on Saturday, killing the driver and wounding five passengers, the regional military administration said. The bus had been taking villagers to a local market.",
    ],
    "baltic-cable": [
        "Finnish police said on Sunday that they had seized a tanker suspected of damaging an undersea power cable linking Finland and Estonia by dragging its anchor along the seabed.",
        "The Estlink 2 cable, with a capacity of 650 megawatts, was disconnected on Christmas Day and repairs are expected to take months, according to grid operator Fingrid.",
        "The tanker, registered in the Cook Islands, belongs to the shadow fleet Russia uses to export oil in defiance of Western sanctions, police said, adding that the crew was being questioned.",
        "In response to the incident, NATO said it would step up its naval presence in the Baltic Sea.",
    ],
}
