# ruff: noqa: E501
# Writes entities.jsonl: short original articles (written for newsflow tests) with gold entities.
from __future__ import annotations

import json

A = []


def art(text, people, places, weapons):
    A.append(
        {
            "id": f"e{len(A):03d}",
            "text": text,
            "people": people,
            "places": places,
            "weapons": weapons,
        }
    )


art(
    "Drones hit Kharkiv overnight\n\nRussian drones struck Kharkiv overnight, Mayor Ihor Terekhov said. Regional governor Oleh Syniehubov reported three injured in the Kharkiv region. Terekhov said a Shahed hit a warehouse.",
    ["Ihor Terekhov", "Oleh Syniehubov"],
    ["Kharkiv", "Kharkiv Oblast"],
    ["drone", "Shahed-136"],
)
art(
    "Lavrov meets Fidan in Ankara\n\nRussian Foreign Minister Sergei Lavrov met Turkish Foreign Minister Hakan Fidan in Ankara on Tuesday. Lavrov said Moscow was ready to talk about grain shipments across the Black Sea.",
    ["Sergei Lavrov", "Hakan Fidan"],
    ["Ankara", "Moscow", "Black Sea"],
    [],
)
art(
    "Israel strikes Khan Younis\n\nIsraeli warplanes struck Khan Younis in the southern Gaza Strip, the Gaza health ministry said. Prime Minister Benjamin Netanyahu said the campaign against Hamas would continue. Hamas fired rockets toward Ashkelon.",
    ["Benjamin Netanyahu"],
    ["Khan Younis", "Gaza Strip", "Ashkelon"],
    ["warplane", "rocket"],
)
art(
    "Houthis target ship in Red Sea\n\nYemen's Houthis said they fired a ballistic missile at a cargo ship in the Red Sea. Houthi military spokesman Yahya Saree said the attack was launched from Hodeidah. The US Central Command said the missile missed.",
    ["Yahya Saree"],
    ["Yemen", "Red Sea", "Hodeidah"],
    ["ballistic missile", "missile"],
)
art(
    "Sudan fighting spreads to El Fasher\n\nThe Rapid Support Forces shelled El Fasher, the capital of North Darfur, residents said. Army chief Abdel Fattah al-Burhan vowed to retake Khartoum. A nurse, Amina Idris, said artillery shells hit the market.",
    ["Abdel Fattah al-Burhan", "Amina Idris"],
    ["Sudan", "El Fasher", "North Darfur", "Khartoum"],
    ["artillery shell"],
)
art(
    "Patriot systems arrive in Ukraine\n\nGermany delivered two more Patriot air defence systems to Ukraine, Defence Minister Boris Pistorius said in Berlin. President Volodymyr Zelenskyy thanked Chancellor Friedrich Merz.",
    ["Boris Pistorius", "Volodymyr Zelensky", "Friedrich Merz"],
    ["Germany", "Ukraine", "Berlin"],
    ["Patriot"],
)
art(
    "Kinzhal missiles target Lviv\n\nRussia launched Kinzhal hypersonic missiles and Kalibr cruise missiles at Lviv, the Ukrainian Air Force said. Governor Maksym Kozytskyi said a critical infrastructure facility was hit.",
    ["Maksym Kozytskyi"],
    ["Russia", "Lviv"],
    ["Kinzhal", "Kalibr"],
)
art(
    "M23 advances near Goma\n\nM23 rebels backed by Rwanda advanced toward Goma in North Kivu, the United Nations said. Congolese President Felix Tshisekedi accused Kigali of aggression. Corneille Nangaa told reporters the group would not withdraw.",
    ["Felix Tshisekedi", "Corneille Nangaa"],
    ["Rwanda", "Goma", "North Kivu", "Kigali"],
    [],
)
art(
    "Taiwan reports Chinese jets\n\nTaiwan's defence ministry said 24 Chinese fighter jets crossed the median line of the Taiwan Strait. President Lai Ching-te said the island would not be intimidated. Beijing called the patrols routine.",
    ["Lai Ching-te"],
    ["Taiwan", "Taiwan Strait", "Beijing"],
    ["fighter jet"],
)
art(
    "Zaporizhzhia plant loses power\n\nThe Zaporizhzhia nuclear power plant lost external power for the tenth time, IAEA chief Rafael Grossi said in Vienna. Shelling near Enerhodar damaged a power line.",
    ["Rafael Grossi"],
    ["Zaporizhzhia Nuclear Power Plant", "Vienna", "Enerhodar"],
    [],
)
art(
    "Storm Shadow strike on Crimea\n\nUkraine hit a Russian command post in Crimea with Storm Shadow missiles, military sources said. The Russian defence ministry said air defences shot down six SCALP missiles over Sevastopol.",
    [],
    ["Ukraine", "Crimea", "Sevastopol"],
    ["Storm Shadow"],
)
art(
    "Putin and Xi meet in Moscow\n\nVladimir Putin hosted Xi Jinping in Moscow for talks on energy and security. Kremlin spokesman Dmitry Peskov said the leaders discussed Ukraine. Xi left for Minsk on Thursday.",
    ["Vladimir Putin", "Xi Jinping", "Dmitry Peskov"],
    ["Moscow", "Ukraine", "Minsk"],
    [],
)
art(
    "Hezbollah fires at northern Israel\n\nHezbollah fired anti-tank missiles at an Israeli position near Metula, the Israeli military said. The army responded with artillery fire on villages in southern Lebanon.",
    [],
    ["Metula", "Lebanon"],
    ["anti-tank missile", "artillery"],
)
art(
    "Sea drones hit Novorossiysk\n\nUkrainian sea drones attacked the port of Novorossiysk, Russian officials said. A tanker was damaged, according to the Krasnodar region governor Veniamin Kondratyev.",
    ["Veniamin Kondratyev"],
    ["Novorossiysk", "Krasnodar Krai"],
    ["sea drone"],
)
art(
    "Kursk incursion continues\n\nUkrainian troops pushed deeper into the Kursk region, acting governor Alexei Smirnov said. Russia's General Staff chief Valery Gerasimov claimed the advance had been halted near Sudzha.",
    ["Alexei Smirnov", "Valery Gerasimov"],
    ["Kursk", "Kursk Oblast", "Russia", "Sudzha"],
    [],
)
art(
    "Syria's new leaders visit Riyadh\n\nSyrian President Ahmed al-Sharaa travelled to Riyadh to meet Crown Prince Mohammed bin Salman. Foreign Minister Asaad al-Shaibani said Damascus sought investment.",
    ["Ahmed al-Sharaa", "Mohammed bin Salman", "Asaad al-Shaibani"],
    ["Syria", "Riyadh", "Damascus"],
    [],
)
art(
    "Glide bombs pound Kostiantynivka\n\nRussian aircraft dropped guided aerial bombs on Kostiantynivka, Donetsk governor Vadym Filashkin said. He said KAB-500 glide bombs hit two apartment blocks in the Donetsk region.",
    ["Vadym Filashkin"],
    ["Kostiantynivka", "Donetsk Oblast"],
    ["glide bomb", "KAB"],
)
art(
    "NATO ministers meet in Brussels\n\nNATO Secretary General Mark Rutte told defence ministers in Brussels that allies must spend more. US Defense Secretary Pete Hegseth urged Europe to buy more air defence systems.",
    ["Mark Rutte", "Pete Hegseth"],
    ["Brussels", "Europe"],
    ["air defence system"],
)
art(
    "Afghan Taliban clash with Pakistan\n\nPakistani troops and Taliban fighters exchanged fire near the Torkham crossing, officials in Peshawar said. Taliban spokesman Zabihullah Mujahid said two civilians died when mortar shells hit a house.",
    ["Zabihullah Mujahid"],
    ["Pakistan", "Torkham", "Peshawar"],
    ["mortar"],
)
art(
    "Odesa port struck\n\nA Russian missile strike on Odesa damaged grain terminals, Governor Oleh Kiper said. Iskander ballistic missiles were used, the Ukrainian Air Force said. Residents of Odessa described a loud blast.",
    ["Oleh Kiper"],
    ["Odesa"],
    ["missile", "Iskander"],
)
art(
    "Iran warns over strikes\n\nIranian Foreign Minister Abbas Araghchi said Tehran would respond to any attack on its nuclear sites at Natanz and Fordow. Supreme Leader Ali Khamenei addressed crowds in Tehran.",
    ["Abbas Araghchi", "Ali Khamenei"],
    ["Iran", "Tehran", "Natanz", "Fordow"],
    [],
)
art(
    "Mali junta loses convoy\n\nJNIM militants ambushed an army convoy near Timbuktu in northern Mali, security sources said. Colonel Assimi Goita's government blamed foreign sponsors. Wagner fighters had left the region.",
    ["Assimi Goita"],
    ["Timbuktu", "Mali"],
    [],
)
art(
    "F-16s arrive in Ukraine\n\nThe first F-16 fighter jets from Denmark and the Netherlands arrived in Ukraine, Prime Minister Mette Frederiksen said in Copenhagen.",
    ["Mette Frederiksen"],
    ["Denmark", "Netherlands", "Ukraine", "Copenhagen"],
    ["F-16"],
)
art(
    "Dnipro apartment block hit\n\nA Russian missile hit an apartment block in Dnipro, killing nine, the regional governor Serhiy Lysak said. Rescuers worked through the night in the Dnipropetrovsk region.",
    ["Serhiy Lysak"],
    ["Dnipro", "Dnipropetrovsk Oblast"],
    ["missile"],
)
art(
    "US senators visit Kyiv\n\nU.S. Senator Lindsey Graham and Senator Richard Blumenthal visited Kyiv and met President Zelensky. Graham said Congress should approve more ATACMS and HIMARS.",
    ["Lindsey Graham", "Richard Blumenthal", "Volodymyr Zelensky"],
    ["United States", "Kyiv"],
    ["ATACMS", "HIMARS"],
)
art(
    "Belgorod shelled\n\nGovernor Vyacheslav Gladkov said Ukrainian Vampire rockets hit Belgorod, injuring five. The Russian defence ministry said it intercepted twelve rockets over the Belgorod region.",
    ["Vyacheslav Gladkov"],
    ["Belgorod", "Belgorod Oblast"],
    ["rocket"],
)
art(
    "Ethiopia and Eritrea tensions\n\nEthiopian Prime Minister Abiy Ahmed said his country needed access to the Red Sea port of Assab. Eritrea's information minister Yemane Gebremeskel called the remarks provocative.",
    ["Abiy Ahmed", "Yemane Gebremeskel"],
    ["Ethiopia", "Red Sea", "Assab", "Eritrea"],
    [],
)
art(
    "North Korea tests missile\n\nNorth Korea fired an intercontinental ballistic missile into the Sea of Japan, South Korea's Joint Chiefs of Staff said. Kim Jong Un oversaw the launch of the Hwasong-18.",
    ["Kim Jong Un"],
    ["North Korea", "Sea of Japan", "South Korea"],
    ["missile", "intercontinental ballistic missile", "Hwasong-18"],
)
art(
    "Lancet drones hit howitzers\n\nRussian Lancet loitering munitions destroyed two M777 howitzers near Kupiansk, a pro-Kremlin blogger claimed. Ukraine's General Staff did not comment.",
    [],
    ["Kupiansk", "Ukraine"],
    ["howitzer", "Lancet", "M777"],
)
art(
    "Red Cross convoy reaches Rafah\n\nA Red Cross convoy carrying medicine reached Rafah, ICRC spokesperson Hisham Mhanna said. Egyptian Foreign Minister Badr Abdelatty said the crossing would stay open.",
    ["Hisham Mhanna", "Badr Abdelatty"],
    ["Rafah"],
    [],
)
art(
    "Myanmar army bombs village\n\nMyanmar's military junta bombed a village in Sagaing region, killing 20, local media said. Junta leader Min Aung Hlaing said the air strikes targeted rebels. Witnesses said a fighter jet dropped two bombs.",
    ["Min Aung Hlaing"],
    ["Myanmar", "Sagaing Region"],
    ["fighter jet", "bomb"],
)
art(
    "Tomahawk debate in Washington\n\nPresident Donald Trump said he had not decided whether to send Tomahawk missiles to Kyiv. Vice President JD Vance said Europe should pay for the weapons.",
    ["Donald Trump", "JD Vance"],
    ["Washington", "Kyiv", "Europe"],
    ["Tomahawk"],
)
art(
    "Explosions in Kherson\n\nRussian artillery shelled Kherson from across the Dnipro River, Governor Oleksandr Prokudin said. A woman was wounded by an FPV drone in the Kherson region.",
    ["Oleksandr Prokudin"],
    ["Kherson", "Dnipro River", "Kherson Oblast"],
    ["artillery", "FPV drone"],
)
art(
    "Baltic cable damaged\n\nFinland's coast guard said an undersea cable in the Gulf of Finland was damaged. President Alexander Stubb said Helsinki suspected a tanker that had left St Petersburg.",
    ["Alexander Stubb"],
    ["Finland", "Gulf of Finland", "Helsinki", "Saint Petersburg"],
    [],
)
art(
    "Bayraktar drones in Libya\n\nForces loyal to Khalifa Haftar said they shot down a Bayraktar TB2 drone near Sirte. The government in Tripoli denied losing any aircraft.",
    ["Khalifa Haftar"],
    ["Libya", "Sirte", "Tripoli"],
    ["Bayraktar TB2"],
)
art(
    "Iron Dome intercepts rockets\n\nIron Dome intercepted most of the rockets fired from Gaza toward Tel Aviv, the IDF said. Defence Minister Israel Katz ordered strikes on Gaza City.",
    ["Israel Katz"],
    ["Gaza Strip", "Tel Aviv", "Gaza City"],
    ["Iron Dome", "rocket"],
)
art(
    "Polish airspace violated\n\nPoland scrambled jets after Russian drones crossed into its airspace near Lublin, Defence Minister Wladyslaw Kosiniak-Kamysz said. Prime Minister Donald Tusk called it a provocation.",
    ["Wladyslaw Kosiniak-Kamysz", "Donald Tusk"],
    ["Poland", "Lublin"],
    ["drone"],
)
art(
    "Pokrovsk under pressure\n\nRussian forces advanced on Pokrovsk using armoured vehicles and T-72 tanks, said Viktor Trehubov, a spokesman for Ukraine's eastern command. Fighting also continued near Myrnohrad.",
    ["Viktor Trehubov"],
    ["Pokrovsk", "Ukraine", "Myrnohrad"],
    ["T-72"],
)
art(
    "Somalia strike kills militants\n\nA US drone strike killed al-Shabaab fighters near Kismayo, Somali officials said. President Hassan Sheikh Mohamud praised the cooperation with Washington.",
    ["Hassan Sheikh Mohamud"],
    ["Somalia", "United States", "Kismayo", "Washington"],
    ["drone"],
)
art(
    "Leopard tanks for Ukraine\n\nSpain will send six more Leopard 2 tanks to Ukraine, Defence Minister Margarita Robles said in Madrid. She added that Spanish crews had trained Ukrainian soldiers in Zaragoza.",
    ["Margarita Robles"],
    ["Spain", "Ukraine", "Madrid", "Zaragoza"],
    ["Leopard 2"],
)
art(
    "Sumy hit by glide bombs\n\nRussia dropped glide bombs on Sumy, the regional administration said. Acting mayor Artem Kobzar said electricity was cut. Oleh Hryhorov, the governor of the Sumy region, said two people died.",
    ["Artem Kobzar", "Oleh Hryhorov"],
    ["Russia", "Sumy", "Sumy Oblast"],
    ["glide bomb"],
)
art(
    "Armenia and Azerbaijan sign deal\n\nArmenian Prime Minister Nikol Pashinyan and Azerbaijani President Ilham Aliyev signed a framework agreement in Washington. Aliyev said Baku and Yerevan would open transport links.",
    ["Nikol Pashinyan", "Ilham Aliyev"],
    ["Armenia", "Azerbaijan", "Washington", "Baku", "Yerevan"],
    [],
)
with open(__file__.replace("build_corpus.py", "entities.jsonl"), "w", encoding="utf-8") as fh:
    for row in A:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(A))
