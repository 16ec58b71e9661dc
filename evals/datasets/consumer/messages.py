"""Hand-written consumer messages, one per drawn MedQuAD target, keyed by its section id (our own text)."""

from __future__ import annotations

from typing import NamedTuple


class M(NamedTuple):
    text: str
    tags: str = ""  # hand-judged noise: "context" (a story or situation around the question), "lay" (lay words)
    typos: tuple[str, ...] = ()  # misspelled words as they appear in the text


MESSAGES: dict[str, M] = {}

# CancerGov
MESSAGES.update(
    {
        "CancerGov_0000036_3_Sec1": M(
            "my dad is 71 and his PSA came back high, the urologist keeps saying the word prostate cancer but never "
            "really explained it. what actually is it, like what is going on in his body?",
            "context lay",
        ),
        "CancerGov_0000006_8_Sec8": M(
            "Our 8 year old son was diagnosed with a craniopharyngioma after months of headaches and vision problems. "
            "We are meeting the team next week. What kinds of treatment do kids with this tumor usually get?",
            "context",
        ),
        "CancerGov_0000024_6_Sec2": M(
            "who gets throat cancer in the back of the mouth, tonsils area? is it just smokers or can hpv cause it too",
            "lay",
        ),
        "CancerGov_0000020_1_Sec8": M(
            "Are there any clinical trails or new treatments being tested for gallbladder cancer? My aunt was told "
            "surgery isn't an option anymore.",
            "context",
            ("trails",),
        ),
        "CancerGov_0000025_2_Sec3": M(
            "how do doctors find out if someone has an islet cell tumor of the pancreas, what tests do they run",
            "lay",
        ),
        "CancerGov_0000001_7_Sec5": M(
            "my niece is 6 and has AML, the leukemia kind. everyone is so scared. what are the chances of recovery for "
            "kids with this and what does it depend on?",
            "context lay",
        ),
        "CancerGov_0000024_8_Sec3": M(
            "I notised a small lump under my jaw near the ear that doesnt hurt. what are the signs of cancer in the "
            "saliva glands? I'm 45 and don't smoke.",
            "context lay",
            ("doesnt", "notised"),
        ),
        "CancerGov_0000004_6_Sec6": M(
            "My daughter (15) was just diagnosed with Hodgkin lymphoma. The oncologist said they need to do more scans "
            "to 'stage' it. How is it staged in children and what do the stages mean?",
            "context",
        ),
        "CancerGov_0000027_4_Sec2": M(
            "Both my mother and grandmother had breast cancer and I'm 38 and terrified. Is there anything I can "
            "actually "
            "do to lower my risk or prevent it??",
            "context",
        ),
        "CancerGov_0000006_7_Sec3": M(
            "why do children get germ cell tumors in the brain? our son has one and we keep wondering if we did "
            "somthing "
            "to cause it he is 11.",
            "context",
            ("somthing",),
        ),
    }
)

# GARD
MESSAGES.update(
    {
        "GARD_0005762_Sec1": M("what are the symtoms of spinocerebellar ataxia type 12 (SCA12)", "", ("symtoms",)),
        "GARD_0003876_Sec1": M(
            "The eye doctor saw tiny cysts on the surface of my cornea with the slit lamp and said Meesmann dystrophy. "
            "What is that? I don't have any symptoms yet.",
            "context",
        ),
        "GARD_0005877_Sec5": M(
            "I'm 19 and was diagnosed with Stargardt disease last year, my central vision is getting worse. Is there "
            "anything that can treat it or slow it down? anything I should avoid?",
            "context",
        ),
        "GARD_0005428_Sec3": M(
            "why does someone get rotor syndrome? my bilirubin is always high and the doctor mentioned it", "context"
        ),
        "GARD_0002122_Sec4": M(
            "my sister has epidermolysis bullosa acquisita, can it be passed down in families? I have kids and worry "
            "about them",
            "context",
        ),
        "GARD_0002316_Sec5": M(
            "My grandfather died of fatal familial insomnia and now my dad wants to know if there is a genetic test "
            "for "
            "it. Can we get tested?",
            "context",
        ),
        "GARD_0005855_Sec1": M(
            "signs of spondylometaphyseal dysplasia with cone rod dystrophy? what does it look like in a child", "lay"
        ),
        "GARD_0000277_Sec1": M(
            "my sons teeth are yellowish brown and the enamel chips off really easily, dentist said amelogenesis "
            "imperfecta. what is this condition?",
            "context lay",
            ("sons",),
        ),
        "GARD_0000889_Sec5": M(
            "My husband was diagnosed with CADASIL after a couple of small strokes. Is there any treatment that works "
            "for it? The neurologist put him on aspirin but I read different things online.",
            "context",
        ),
        "GARD_0000406_Sec3": M(
            "where does antisynthetase syndrome come from, what triggers it. I have lung problems and muscle weakness "
            "and they found jo-1 "
            "antibodies",
            "context",
        ),
        "GARD_0000587_Sec3": M(
            "we lost a baby to ARPKD (the recessive polycystic kidney disease). how is it inherited, and what are the "
            "chances it happens again in our next pregnancy?",
            "context",
        ),
        "GARD_0006069_Sec4": M(
            "i have tingling and numbness down my arm into my fingers when I lift my arms up, my PT thinks its "
            "thoracic "
            "outlet syndrome. how do they diagnose that for sure? what tests",
            "context lay",
        ),
        "GARD_0006195_Sec2": M(
            "sudden stabbing electric shock pain on one side of my face when I brush my teeth - is this trigeminal "
            "neuralgia? what are the usual symptoms",
            "context lay",
        ),
        "GARD_0004414_Sec1": M("what is Nicolaides Baraitser syndrome", ""),
        "GARD_0001916_Sec4": M(
            "I have Doyne honeycomb retinal dystrophy (drusen in both eyes). Is there any treatment? I'm 42 and "
            "worried about going blind",
            "context",
        ),
        "GARD_0000674_Sec3": M("what is the cause of Behr syndrome", ""),
        "GARD_0002460_Sec2": M(
            "My mom had Fuchs dystrophy and needed corneal transplants, now my eye doctor says I have early signs. Is "
            "Fuchs hereditery? should my children get checked?",
            "context",
            ("hereditery",),
        ),
        "GARD_0000530_Sec5": M(
            "How do you get diagnosed with autoimmune atrophic gastritis? I have low B12 and anemia and my GP "
            "mentioned "
            "it as a possibility im 52 and female.",
            "context",
            ("im",),
        ),
        "GARD_0005197_Sec1": M(
            "baby has a heart murmur and the cardiologist said pulmonary valve stenosis. what symptoms should we watch "
            "for",
            "context lay",
        ),
        "GARD_0001296_Sec1": M(
            "Our genetic test results came back showing a deletion on chromosome 7, the long arm (7q). Can someone "
            "explane what a 7q deletion is? the genetic counselor appointment is a month away.",
            "context",
            ("explane",),
        ),
        "GARD_0005299_Sec5": M(
            "they found my left kidney vein is being squeezed between two arteries (nutcracker syndrome), I get blood "
            "in "
            "my urine and flank pain. how is it treated? do I need surgery",
            "context lay",
        ),
        "GARD_0003870_Sec3": M(
            "what is the reason people get medullary cystic kidney disease? several people on my fathers side had "
            "kidney failure",
            "context",
            ("fathers",),
        ),
        "GARD_0001350_Sec4": M("is citrullinemia type 1 genetic, how do kids inherit it", "lay"),
        "GARD_0000158_Sec5": M(
            "I have lots of painful fatty lumps under the skin and think it might be Dercum's disease (adiposis "
            "dolorosa). is there a genetic test for it?",
            "context lay",
        ),
        "GARD_0003128_Sec1": M(
            "what are the symptoms of the syndrome with ichthyosis, hair loss (alopecia), leukocyte vacuoles and "
            "sclerosing cholangitis - NISCH syndrome I think it is called thank you",
            "lay",
        ),
        "GARD_0003660_Sec1": M(
            "my 63 yr old mother is having trouble finding words and repeating sentences, the neurologist said "
            "logopenic progressive aphasia. what is that exactly, is it a type of dementia?",
            "context lay",
        ),
        "GARD_0003162_Sec4": M(
            "How is hyper IgM syndrome type 1 treated? our grandson keeps getting infections and was just diagnosed",
            "context",
        ),
        "GARD_0002180_Sec3": M(
            "My 14 year old was diagnosed with Ewing sarcoma in his leg. What causes it? Was it something he was "
            "exposed "
            "to or is it genetic?",
            "context",
        ),
        "GARD_0004872_Sec3": M("pierson syndrome - how does it get passed down from parents to kids", "lay"),
        "GARD_0001717_Sec5": M(
            "Is genetic testing available for danon disease? My cousin has it and I have had heart palpitations",
            "context",
        ),
        "GARD_0001780_Sec1": M(
            "dentist found a 'tooth within a tooth' (dens in dente) and some grooves on the palate side of my teeth. "
            "what are the signs of this",
            "context lay",
        ),
        "GARD_0005651_Sec1": M(
            "My eyes and mouth have been extremely dry for months and my rheumatologist thinks it's Sjogrens. What is "
            "Sjogren syndrome?",
            "context lay",
            ("Sjogrens",),
        ),
        "GARD_0003459_Sec4": M(
            "what treatments are there for lambert eaton myasthenic syndrome? I get very weak in my legs and was told "
            "it's LEMS",
            "context",
        ),
        "GARD_0002573_Sec3": M(
            "My brother (52) was just diagnosed with glioblastoma. We're all in shock. What causes this kind of brain "
            "tumor? could it be from his cell phone or something at work?",
            "context",
        ),
        "GARD_0003466_Sec4": M(
            "can langerhans cell histiocytosis be passed down to children? my son had LCH and we are thinking about "
            "having "
            "another baby",
            "context",
        ),
        "GARD_0005122_Sec3": M(
            "is there a genetic test for proximal symphalangism? my fingers cant bend at the middle joint and my dad's "
            "dont either",
            "context lay",
            ("cant", "dont"),
        ),
        "GARD_0003520_Sec2": M(
            "What are the signs and symptons of Leber hereditary optic neuropathy (LHON)? My 22 year old nephew lost "
            "vision in one eye suddenly about a month ago.",
            "context",
            ("symptons",),
        ),
        "GARD_0001839_Sec1": M(
            "Our daughter was found to have a DICER1 mutation after her lung tumor. What is DICER1 pleuropulmonary "
            "blastoma predisposition syndrome?",
            "context",
        ),
        "GARD_0003758_Sec2": M(
            "how do they treat malignant eccrine spiradenoma, my dad had a lump removed from his skin and the biopsy "
            "said this",
            "context",
        ),
        "GARD_0003208_Sec2": M("what causes an inflammatory myofibroblastic tumor (IMT)?", ""),
        "GARD_0003292_Sec4": M(
            "our newborn needed surgey for a blockage in her small intestine (jejunal atresia). is this something "
            "that runs in families or was it random? she is doing well now thankfully.",
            "context lay",
            ("surgey",),
        ),
        "GARD_0005004_Sec5": M(
            "my heart races every time I stand up and I almost pass out, I think I have POTS. how do doctors diagnose "
            "postural tachycardia syndrome? what is the tilt table test",
            "context lay",
        ),
        "GARD_0003324_Sec1": M("symptoms of juvenile myelomonocytic leukemia in toddlers?", "lay"),
        "GARD_0006335_Sec1": M(
            "Our baby was born with a vein of galen malfomation and is in the NICU with heart failure. What is a vein "
            "of galen aneurysm? we are terrified",
            "context",
            ("malfomation",),
        ),
        "GARD_0004909_Sec4": M(
            "i've had red scaly patches and thick orange-ish skin on my palms for months, derm said pityriasis rubra "
            "pilaris. whats the treatment?? creams arent doing anything",
            "context lay",
            ("whats", "arent"),
        ),
        "GARD_0001692_Sec3": M(
            "What causes Cushings syndrome? I have put on weight around my belly and face and have purple stretch "
            "marks",
            "context lay",
            ("Cushings",),
        ),
        "GARD_0002175_Sec4": M(
            "my hands shake when I hold a cup, same as my dad and grandpa. does essential tremor run in families?",
            "context lay",
        ),
        "GARD_0004833_Sec5": M(
            "Is there genetic testing for Peutz Jeghers syndrome? I have dark freckles on my lips and had polyps "
            "removed",
            "context",
        ),
        "GARD_0004710_Sec2": M("what are the signs of papillary renal cell carcinoma (kidney cancer)", "lay"),
        "GARD_0001136_Sec1": M(
            "MRI showed I have a Chiari malformation type 1, the back of my brain is sitting lower than it should. "
            "what is chiari 1 and is it serious?",
            "context lay",
        ),
        "GARD_0003749_Sec2": M(
            "after a week long cruise I still feel like im rocking on a boat, it's been 3 months. doctor thinks mal de "
            "debarquement. what treatments are there",
            "context lay",
            ("im",),
        ),
        "GARD_0001851_Sec3": M(
            "My uncle has diffuse gastric cancer and used to drink a lot. Can heavy drinking cause stomache cancer "
            "like "
            "this or what else causes it? He is 66.",
            "context lay",
            ("stomache",),
        ),
        "GARD_0004102_Sec3": M(
            "our baby can't smile or move her eyes side to side, they said Moebius syndrom. is it inherited? will our "
            "other children have it? she is 2 months old.",
            "context lay",
            ("syndrom",),
        ),
        "GARD_0003321_Sec5": M(
            "how is juvinile huntington's disease diagnosed? my teenage son has become clumsy and rigid and his father "
            "had HD",
            "context",
            ("juvinile",),
        ),
        "GARD_0001548_Sec2": M(
            "what are symptoms of congenital erythropoietic porphyria - I read about skin blistering in sunlight and "
            "red urine?",
            "lay",
        ),
        "GARD_0004988_Sec1": M(
            "the gastroenterologist said my husband has portal hypertension from his liver cirrhosis. what does that "
            "mean?",
            "context",
        ),
        "GARD_0006132_Sec5": M(
            "My 9 yr old has motor tics and makes throat clearing noises, diagnosed with tourettes. Does he need "
            "medication? what are the treatment options his teacher has noticed it too.",
            "context lay",
            ("tourettes",),
        ),
        "GARD_0006254_Sec3": M(
            "why do people get tylosis with esophageal cancer, the thick skin on palms and soles thing that runs in "
            "my family",
            "context lay",
        ),
        "GARD_0002055_Sec4": M("how is Ehlers Danlos dermatosparaxis type inherited?", ""),
        "GARD_0000854_Sec4": M(
            "How is BOOP (bronchiolitis obliterans organizing pneumonia) diagnosed? My mother has had a cough and "
            "shortness of breath that antibiotics didnt help",
            "context",
            ("didnt",),
        ),
        "GARD_0004251_Sec2": M(
            "what are the signs of myelodysplastic syndrome? my blood counts have been low on my last two checkups and "
            "I'm always tired",
            "context lay",
        ),
        "GARD_0005840_Sec1": M("what is spondyloepiphyseal dysplasia congenita? a type of dwarfism?", "lay"),
        "GARD_0005768_Sec5": M(
            "my mother has spinocerebellar ataxia type 2 (SCA2) and her ballance and speech are getting worse. is "
            "there any treatment or therapy that helps? she is 55 and still lives alone.",
            "context",
            ("ballance",),
        ),
        "GARD_0006377_Sec3": M(
            "how do you end up with von willebrand disease? I bruise easily and have very heavy periods and the "
            "hemotologist "
            "is testing me for it thanks for any help",
            "context lay",
            ("hemotologist",),
        ),
        "GARD_0003550_Sec3": M(
            "Is Lesch Nyhan syndrome passed from the mother? We have a son with it and I'm pregnant again.",
            "context",
        ),
        "GARD_0000517_Sec3": M("is genetic testing available for atypical HUS (hemolytic uremic syndrome)?", ""),
        "GARD_0003104_Sec1": M(
            "what signs does a child with ICF syndrome have (immunodeficiency, centromeric instability, facial "
            "anomalies)?",
            "",
        ),
        "GARD_0005763_Sec1": M("what is SCA13, spinocerebellar ataxia 13?", ""),
        "GARD_0002367_Sec4": M(
            "our daughter has FOP, fibrodysplasia ossificans progressiva, where muscle turns into bone. is there any "
            "treatment for the flare ups? we are desperate for anything she is 9.",
            "context lay",
        ),
        "GARD_0006243_Sec3": M(
            "my husband skinned a wild rabbit while hunting and now the docter thinks he has tularemia. what causes it "
            "and how do people get it? he has a high fever.",
            "context",
            ("docter",),
        ),
    }
)

MESSAGES.update(
    {
        "GARD_0006569_Sec4": M(
            "Our newborn screen came back positive for congenital adrenal hyperplasia, 21 hydroxylase deficiency. "
            "Neither of us has it. how did she inherit it and could our next kid have it too?",
            "context",
        ),
    }
)

# GHR
MESSAGES.update(
    {
        "GHR_0001048_Sec2": M("how common is x-linked chondrodysplasia punctata 2 (Conradi-Hunermann)?", ""),
        "GHR_0000307_Sec3": M(
            "which gene is involved in dyserythropoietic anemia with thrombocytopenia? my son has low platelets and "
            "anemia and they want to do genetic testing he is 4.",
            "context",
        ),
        "GHR_0000803_Sec1": M(
            "my baby was born with one side of his chest looking flatter, and the fingers on that hand are short and "
            "webbed. pediatrician said poland syndrome?? what is it",
            "context lay",
        ),
        "GHR_0000165_Sec4": M("Is centronuclear myopathy genetic? how is it passed on in familys", "", ("familys",)),
        "GHR_0000065_Sec5": M(
            "how do you manage arginase deficiency in a child? we just got the diagnosis from the newborn screening "
            "and feel lost",
            "context",
        ),
        "GHR_0000020_Sec2": M("how rare is adenylosuccinate lyase deficiency", ""),
        "GHR_0000111_Sec3": M(
            "my daughter has bartter syndrome - low potassium, peeing a lot, was born early. what gene mutations cause "
            "bartter syndrome?",
            "context lay",
        ),
        "GHR_0000160_Sec1": M(
            "we have been trying for a baby for 3 years and the fertility clinic found a CATSPER1 change in my "
            "husband. what is CATSPER1 male infertility, will he ever be able to father a child naturally?",
            "context",
        ),
        "GHR_0000903_Sec4": M("is SHORT syndrome inherited from a parent or does it happen randomly", "lay"),
        "GHR_0000312_Sec5": M(
            "our 11 year old started with a twisting foot when walking and now it's in his arm too, diagnosed with "
            "early onset primary dystonia (DYT1). what treatments are out there?",
            "context lay",
        ),
        "GHR_0000338_Sec2": M("how many people have factor 13 deficiency? it's a bleeding disorder right", "lay"),
        "GHR_0000205_Sec3": M("what gene causes combined malonic and methylmalonic aciduria (CMAMMA)", ""),
        "GHR_0000184_Sec1": M(
            "What is Christianson syndrome? Our son has severe developmental delay, seizures and doesn't talk yet, "
            "and the genetic report says SLC9A6.",
            "context",
        ),
        "GHR_0000388_Sec4": M(
            "my brother has friedrichs ataxia. neither of our parents have it. how is it inherited and could I be a "
            "carrier?",
            "context",
            ("friedrichs",),
        ),
        "GHR_0000728_Sec5": M(
            "treatment for NARP syndrome (neuropathy ataxia retinitis pigmentosa)? my cousin has a mitochondrial "
            "mutation",
            "context",
        ),
        "GHR_0000352_Sec2": M("how common is familial HLH (hemophagocytic lymphohistiocytosis)", ""),
        "GHR_0000691_Sec3": M(
            "my child has hundreds of little brown spots all over and a heart problem, they think its multiple "
            "lentigines syndrome (the old name was LEOPARD). what genes are involved?",
            "context lay",
            ("its",),
        ),
        "GHR_0000240_Sec1": M(
            "My wife was diagnosed with AML and the doctors keep saying it's the 'core binding factor' type, which is "
            "apparently a better kind? What is core binding factor acute myeloid leukemia?",
            "context",
        ),
        "GHR_0000891_Sec4": M(
            "we are both jewish ashkenazi... no wait, my husband is from a Creole family and our first baby had "
            "sandhoff "
            "disease. is sandhoff inherited and whats the chance for the next one",
            "context",
            ("whats",),
        ),
        "GHR_0001029_Sec5": M("how is warsaw breakage syndrome managed or treated?", ""),
        "GHR_0000910_Sec2": M(
            "my grandpa is 80 and needs a pacemaker for sick sinus syndrome. how common is that in older people?",
            "context",
        ),
        "GHR_0000097_Sec3": M(
            "what are the genetic causes of autosomal recessive cerebellar ataxia type 1 (ARCA1)? which gene?", ""
        ),
        "GHR_0000695_Sec1": M(
            "what is multiple sulfatase deficiency? our daughter is losing skills she had and has dry scaly skin",
            "context lay",
        ),
        "GHR_0000118_Sec4": M(
            "I get attacks of severe itching and jaundice that come and go, diagnosed with BRIC (benign recurrent "
            "intrahepatic cholestasis). is it hereditary?",
            "context lay",
        ),
        "GHR_0001037_Sec5": M(
            "my 17 yr old was diagnosed with wilsons disease, copper building up in the liver. how do they treat it? "
            "will she need meds for life",
            "context lay",
            ("wilsons",),
        ),
        "GHR_0000281_Sec2": M(
            "had surgery to remove an aggressive fibromatosis / desmoid tumor from my abdominal wall. how rare are "
            "these?",
            "context",
        ),
        "GHR_0000590_Sec3": M(
            "Legius syndrome gene? my kid has cafe au lait spots and the doctor said it's not NF1 but Legius", "context"
        ),
        "GHR_0000244_Sec1": M("what is costeff syndrome (3-methylglutaconic aciduria type 3)?", ""),
        "GHR_0000478_Sec4": M(
            "My son has very pale skin and hair, poor vision and bruises easily - they said Hermansky Pudlak. Is HPS "
            "inherrited from both parents? We are both healthy.",
            "context lay",
            ("inherrited",),
        ),
        "GHR_0000279_Sec5": M(
            "is there treatment for deoxyguanosine kinase deficiency? our baby has liver failure and they found DGUOK "
            "mutations",
            "context",
        ),
        "GHR_0000857_Sec2": M("how many people in the world have rabson mendenhall syndrome", ""),
        "GHR_0000964_Sec3": M(
            "I'm 17, never got my period, and tests showed I have XY chromosomes, the doctor called it Swyer syndrome. "
            "what genetic change causes this? I'm really confused and scared.",
            "context",
        ),
        "GHR_0000109_Sec1": M(
            "What is bart pumphrey syndrome? thick skin on my knuckles, white nails and hearing loss", "context lay"
        ),
        "GHR_0000142_Sec4": M(
            "my kidney biopsy showed C3 glomerulopathy. can it run in families? should my siblings be tested?",
            "context",
        ),
        "GHR_0000648_Sec5": M(
            "our baby was diagnosed with metatropic dysplasia (short limbs, narrow chest). how is it managed, what "
            "doctors should we see",
            "context lay",
        ),
        "GHR_0000419_Sec2": M("how common is glutathione synthetase deficiency", ""),
        "GHR_0000636_Sec3": M(
            "our newborn boy has severe breathing problems and seizures and they found a MECP2 mutation. how does the "
            "MECP2 gene change cause this severe neonatal encephalopathy?",
            "context",
        ),
        "GHR_0000479_Sec1": M(
            "ultrasound at 20 weeks shows the babys heart and stomach are on the wrong sides, they said heterotaxy. "
            "what is heterotaxy syndrome??",
            "context lay",
            ("babys",),
        ),
        "GHR_0000170_Sec4": M("is cerebrotendinous xanthomatosis inheritted?", "", ("inheritted",)),
        "GHR_0000685_Sec5": M(
            "treatment for MONA (multicentric osteolysis nodulosis arthropathy)? my daughters joints are stiff and "
            "swollen and the bones in her hands are wearing away she is 6",
            "context lay",
            ("daughters",),
        ),
        "GHR_0000133_Sec2": M(
            "how frequent is bowen conradi syndrome, I heard it is more common in Hutterite communities", ""
        ),
        "GHR_0000470_Sec3": M(
            "I've had pancreatitus 3 times since I was a teenager and I don't drink. my mom had it too. what genetic "
            "mutations cause hereditary pancreatitis? I'm 29 now.",
            "context",
            ("3",),
        ),
        "GHR_0000350_Sec1": M(
            "my blood test shows my HDL ('good cholestrol') is super low even though I exercise, the doctor mentioned "
            "familial HDL deficiency. what is that? my dad had the same thing.",
            "context lay",
            ("cholestrol",),
        ),
        "GHR_0000355_Sec4": M(
            "my LDL cholesterol is extremely low and so is my dad's, the doctor said familial hypobetalipoproteinemia. "
            "how is it inherited?",
            "context lay",
        ),
        "GHR_0000898_Sec5": M(
            "how is sepiapterin reductase deficiency treated? our daughter has movement problems and the dopamine "
            "test was abnormal",
            "context",
        ),
        "GHR_0000892_Sec2": M("how many ppl are affected by schimke immuno osseous dysplasia", "", ("ppl",)),
        "GHR_0001040_Sec3": M("what is the genetic change in Wolf Hirschhorn syndrome? chromosome 4 deletion?", ""),
        "GHR_0000449_Sec1": M(
            "my dad (58, ex smoker) has a sore on his tongue that won't heal and the biopsy says head and neck "
            "squamous "
            "cell carcinoma. what is this cancer exactly",
            "context lay",
        ),
        "GHR_0001016_Sec4": M(
            "is vitelliform macular dystrophy (Best disease) inherited? I have it and my 10 year old has blurry vision",
            "context",
        ),
        "GHR_0000932_Sec5": M("treatment options for hereditary spastic paraplegia type 8 (SPG8)?", ""),
        "GHR_0000175_Sec2": M(
            "how rare is chediak higashi syndrome? our son has silvery hair, keeps getting infections and they're "
            "testing for it",
            "context lay",
        ),
        "GHR_0000697_Sec3": M(
            "i was diagnosed with myasthenia gravis at 34, my droopy eyelids and double vision started last year. are "
            "there genes that cause myasthenia gravis or make you more likely to get it?",
            "context lay",
        ),
        "GHR_0001031_Sec1": M(
            "what is Weill Marchesani syndrome? my son is short with short fingers and has had lens problems in both "
            "eyes",
            "context lay",
        ),
        "GHR_0000079_Sec4": M(
            "how does ataxia with vitamin E deficiency get passed down? my sister has AVED and I want kids", "context"
        ),
        "GHR_0000450_Sec5": M(
            "my nephew has hemophila and bleeds into his knees. what are the treatments now? does he need shots of the "
            "clotting factor forever? he is 8.",
            "context lay",
            ("hemophila",),
        ),
        "GHR_0000559_Sec2": M("how common is keratoderma with woolly hair (naxos disease / carvajal syndrome)?", ""),
        "GHR_0000821_Sec3": M(
            "my 6 year old keeps getting kidney stones and they found high oxalate, they think primary hyperoxaluria. "
            "which genes cause it?",
            "context",
        ),
        "GHR_0000302_Sec1": M(
            "i have dark lacy patches in my armpits and groin that keep spreading, a dermatologist said dowling degos "
            "disease. what is it?",
            "context lay",
        ),
        "GHR_0000971_Sec4": M(
            "I'm a guitarist and my fingers curl up only when I play - musician's dystonia. Can task specific focal "
            "dystonia be passed on in families? my uncle had writer's cramp",
            "context lay",
        ),
        "GHR_0000434_Sec5": M("what treatment is there for GRACILE syndrome babies", ""),
        "GHR_0000340_Sec2": M(
            "how many people have familial adenomatous polyposis? my dad had hundreds of polyps in his colon",
            "context lay",
        ),
        "GHR_0000690_Sec3": M(
            "what gene mutation causes multiple familial trichoepithelioma? I have lots of small bumps on my face like "
            "my mom",
            "context lay",
        ),
        "GHR_0000098_Sec1": M(
            "my baby's lips and skin look bluish and they said congenital methemoglobinemia, autosomal recessive "
            "type. what is this?",
            "context lay",
        ),
        "GHR_0000974_Sec4": M("tetrahydrobiopterin deficency (BH4) - how is it inherited?", "", ("deficency",)),
        "GHR_0001057_Sec5": M(
            "my son (7) has x linked juvenile retinoschisis, the retina is splitting. how is it treated, are there eye "
            "drops or surgury that help? he is having trouble reading the board at school.",
            "context lay",
            ("surgury",),
        ),
        "GHR_0000673_Sec2": M("how common is muckle wells syndrome", ""),
        "GHR_0000919_Sec3": M(
            "what gene is changed in smith lemli opitz syndrome, something about cholesterol?", "lay"
        ),
        "GHR_0000260_Sec1": M(
            "every 3 weeks my son gets mouth sores, fevers and infections, like clockwork. The hematologist mentioned "
            "cyclic neutropenia. what is that?",
            "context lay",
        ),
        "GHR_0000934_Sec4": M(
            "my uncle has kennedy's disease (spinal and bulbar muscluar atrophy). my mom is his sister. could I "
            "inherit it? how is it passed on? I'm a 30 year old man.",
            "context lay",
            ("muscluar",),
        ),
        "GHR_0000875_Sec5": M(
            "I'm 45 and was just told I have rheumatoid arthritus in my hands. What are the treatments, and will "
            "I have to take strong medicine for the rest of my life?",
            "context",
            ("arthritus",),
        ),
        "GHR_0000631_Sec2": M(
            "how rare is mccune albright syndrome? my daughter started puberty at 4 and has a big birthmark on her "
            "back",
            "context lay",
        ),
    }
)

# MedlinePlus Health Topics
MESSAGES.update(
    {
        "MPlusHealthTopics_0000874_Sec1": M(
            "my son just turned 13 and is moody, sleeping all the time and growing like crazy. where can I find info "
            "on teen health and what changes are normal?",
            "context lay",
        ),
        "MPlusHealthTopics_0000855_Sec1": M(
            "what are strep infections? my kid has strep throat for the 3rd time and I read there's group A and "
            "group B",
            "context lay",
        ),
        "MPlusHealthTopics_0000228_Sec1": M(
            "my son got hit in the head playing football and was dizzy for a bit, the trainer said maybe a "
            "concusion. what exactly is a concussion??",
            "context lay",
            ("concusion",),
        ),
        "MPlusHealthTopics_0000326_Sec1": M(
            "what is endocarditis? my father has an artificial heart valve and now has a fever that wont go away",
            "context",
            ("wont",),
        ),
        "MPlusHealthTopics_0000711_Sec1": M(
            "I'm so afraid of flying and of spiders that it affects my life, is that a phobia? what are phobias",
            "context lay",
        ),
        "MPlusHealthTopics_0000431_Sec1": M(
            "lost my job and my insurance with it. can someone explain how health insurance works, deductibles etc, "
            "i dont understand any of it I'm 58 and healthy.",
            "context lay",
            ("dont",),
        ),
        "MPlusHealthTopics_0000700_Sec1": M(
            "burning pain in my stomach between meals that gets better when I eat, could it be an ulcer? what is a "
            "peptic ulcer I'm 40 and take aspirin daily.",
            "context lay",
        ),
        "MPlusHealthTopics_0000281_Sec1": M(
            "My mom's kidneys are failing and the nephrologist says she will need dialysis soon. How does dialysis "
            "work and what are the types? She is 70.",
            "context",
        ),
    }
)

MESSAGES.update(
    {
        "MPlusHealthTopics_0000918_Sec1": M(
            "a coworker of mine was just diagnosed with TB and now HR says we all need to get tested. what is "
            "tuberculosis and how worried should I be",
            "context",
        ),
        "MPlusHealthTopics_0000479_Sec1": M(
            "I'm HIV positive and just found out im pregnant. what do I need to know about hiv and pregnancy, can I "
            "keep my baby from getting it?",
            "context",
            ("im",),
        ),
        "MPlusHealthTopics_0000492_Sec1": M(
            "a huricane is supposed to hit our coast this weekend, I have an elderly mom with me. any info on staying "
            "safe and healthy during hurricanes?",
            "context",
            ("huricane",),
        ),
        "MPlusHealthTopics_0000063_Sec1": M(
            "we've been trying for a baby for 4 years, doctor mentioned IVF and other 'assisted reproductive "
            "technology'. what does that include?",
            "context",
        ),
        "MPlusHealthTopics_0000356_Sec1": M(
            "im 36 and have been trying to get pregnant for 8 months with no luck. when is it considered infertility "
            "for a woman, and what causes it",
            "context lay",
            ("im",),
        ),
    }
)

# NIDDK
MESSAGES.update(
    {
        "NIDDK_0000194_Sec1": M(
            "there was a hepatitus A outbreak at a restaurant we ate at last week. what is hep A exactly? is it like "
            "the other hepatitis we are all worried",
            "context lay",
            ("hepatitus",),
        ),
        "NIDDK_0000168_Sec6": M(
            "my urine test showed protein in it. what should I do about proteinuria, do I need to change my diet or "
            "anything",
            "context lay",
        ),
        "NIDDK_0000136_Sec8": M(
            "My father has amyloidosis affecting his kidneys. What treatment is there for kidney amyloidosis? They "
            "mentioned chemo which scared us",
            "context",
        ),
        "NIDDK_0000103_Sec2": M(
            "can ibuprofen give you gastritis, what else brings it on? I take ibuprofen a lot for my back and my "
            "stomach lining is inflamed apparently for about two years now.",
            "context lay",
        ),
        "NIDDK_0000189_Sec7": M("how do doctors test for porphyria? blood test? urine?", "lay"),
        "NIDDK_0000016_Sec5": M(
            "i have rheumatoid arthritis and my doctor says I also have anemia of chronic disease. what symptons "
            "would I notice from the anemia part ive been more tired lately",
            "context",
            ("symptons", "ive"),
        ),
        "NIDDK_0000035_Sec5": M(
            "My A1C came back 6.1 and the nurse said prediabetes. Can I stop it from turning into full diabetis? what "
            "actually works",
            "context",
            ("diabetis",),
        ),
        "NIDDK_0000022_Sec6": M(
            "I'm 50, overweight and my mom has type 2 diabetes. am I at risk and what can I do to lower my chances of "
            "getting it",
            "context",
        ),
        "NIDDK_0000139_Sec5": M(
            "our 4 year old has nephrotic syndrome, puffy eyes and swelling. what complications can happen with "
            "childhood nephrotic syndrome?",
            "context lay",
        ),
        "NIDDK_0000135_Sec3": M(
            "I've been on dialysis for 6 years and the ultrasound found cysts in my kidneys. how common is acquired "
            "cystic kidney disease in people with kidney failure?",
            "context",
        ),
        "NIDDK_0000154_Sec10": M(
            "at the 20 week scan they said one of our babys kidneys has dysplasia and won't work. how will a kid with "
            "one dysplastic kidney do long term?",
            "context",
            ("babys",),
        ),
        "NIDDK_0000011_Sec10": M(
            "I was treated with human growth hormone from cadaver pituitary glands as a kid in the 70s and I read "
            "about CJD. is there any research going on into Creutzfeldt Jakob disease?",
            "context",
        ),
        "NIDDK_0000008_Sec1": M(
            "heart racing, losing weight without trying, shaky hands and I'm always hot. doctor said overactive "
            "thyroid. what is hyperthyroidism",
            "context lay",
        ),
        "NIDDK_0000042_Sec11": M(
            "I'm diabetic and sometimes get shakey and sweaty when my sugar drops. what should I do when I have low "
            "blood sugar? It happens mostly at night.",
            "context lay",
            ("shakey",),
        ),
        "NIDDK_0000216_Sec6": M(
            "the ultrasound showed our newborn has a blocked urinary tract and swollen kidney (hydronephrosis). how do "
            "they treat urine blockage in babies? will he need surgery?",
            "context lay",
        ),
        "NIDDK_0000182_Sec3": M(
            "why would someone get autoimmune hepatitis? I don't drink and never had hepatitis virus but my liver "
            "enzymes are "
            "through the roof I'm 35 and female.",
            "context lay",
        ),
    }
)

# NINDS
MESSAGES.update(
    {
        "NINDS_0000242_Sec4": M(
            "my dad has progressive supranuclear palsy (PSP), he keeps falling and cant look down. is any research "
            "being done, are there clinical trials he could join?",
            "context lay",
            ("cant",),
        ),
        "NINDS_0000071_Sec1": M(
            "our son is very tall for his age with a large head and is behind in developement, the geneticist said "
            "sotos syndrome. what is that? he is 3 now.",
            "context lay",
            ("developement",),
        ),
        "NINDS_0000254_Sec3": M(
            "my husband snores like a freight train and stops breathing at night. he refuses to see a doctor. what "
            "happens if sleep apnea isn't treated, is it dangerous?",
            "context lay",
        ),
        "NINDS_0000089_Sec2": M(
            "my grandmother was diagnosed with CJD (creutzfeldt jakob). is there any treatment at all?", "context"
        ),
        "NINDS_0000171_Sec4": M("research on klippel trenaunay syndrome KTS - any new studies?", ""),
        "NINDS_0000135_Sec1": M("what are the gangliosidoses (GM1 and GM2)?", ""),
        "NINDS_0000052_Sec3": M(
            "they found a tumor on my wife's spinal cord. what is the prognosis for brain and spine tumors, does it "
            "depend on if it's cancerous? we are waiting on the biopsy.",
            "context lay",
        ),
        "NINDS_0000245_Sec2": M(
            "My daughter (6) has Rasmussens encephalitis, seizures on one side that don't stop with medicine. What "
            "treatments are there? someone mentioned surgery to remove half the brain??",
            "context lay",
            ("Rasmussens",),
        ),
        "NINDS_0000013_Sec1": M(
            "my brother has AIDS and has become forgetful and confused and has numb feet. what nervous system "
            "problems can HIV cause?",
            "context lay",
        ),
        "NINDS_0000166_Sec4": M(
            "is there research on isaacs syndrome (neuromyotonia)? my muscles twitch and cramp constantly",
            "context lay",
        ),
        "NINDS_0000169_Sec4": M(
            "my teenage son sleeps for days at a time and acts strange when awake, they said kleine levin syndrome. "
            "is anybody researching this? he is 15.",
            "context lay",
        ),
        "NINDS_0000076_Sec1": M("what is neuroacanthocytosis", ""),
        "NINDS_0000027_Sec3": M(
            "an MRI for headaches found an arachnoid cyst in my brain. whats the outlook, can it get bigger or "
            "cause damage if I leave it alone",
            "context lay",
            ("whats",),
        ),
        "NINDS_0000113_Sec2": M(
            "Our newborn has Ohtahara syndrome with constant seizures. What treatment options are there? the "
            "seizure meds aren't helping much",
            "context",
        ),
    }
)

# NIHSeniorHealth
MESSAGES.update(
    {
        "NIHSeniorHealth_0000027_Sec5": M(
            "my eye doctor said my eye pressure is a bit high and I should be watched for glaucoma. what is glacoma "
            "exactly? I'm 64 and my next appointment is in 3 months.",
            "context",
            ("glacoma",),
        ),
        "NIHSeniorHealth_0000034_Sec17": M(
            "mom is 78 with heart failure, her legs swell and she gets out of breath. besides pills, what treatments "
            "or lifestyle changes help heart failure? she lives with us.",
            "context lay",
        ),
        "NIHSeniorHealth_0000052_Sec7": M(
            "my dad's hand shakes when it's resting and he walks slower and shuffles. are these signs of parkinsons? "
            "what are the main symptoms he is 70.",
            "context lay",
            ("parkinsons",),
        ),
        "NIHSeniorHealth_0000058_Sec27": M(
            "my father and his brother both had prostate cancer. does it run in families? are there genes that raise "
            "my risk?",
            "context lay",
        ),
        "NIHSeniorHealth_0000017_Sec9": M(
            "why do my eyes feel so dry and gritty all the time? whats behind dry eye", "lay", ("whats",)
        ),
        "NIHSeniorHealth_0000070_Sec8": M(
            "i leak urine when i cough or laugh and im embarrassed to bring it up. what will the doctor do to figure "
            "out my bladder leakage",
            "context lay",
            ("im",),
        ),
        "NIHSeniorHealth_0000071_Sec8": M(
            "My mother keeps getting bladder infections (UTIs), she is 81. How can she prevent them from coming back?",
            "context lay",
        ),
        "NIHSeniorHealth_0000040_Sec6": M(
            "my husband has chronic leukemia. are there any clinical trails for older patients that he could be part "
            "of",
            "context",
            ("trails",),
        ),
        "NIHSeniorHealth_0000057_Sec7": M(
            "since my cold everything tastes like nothing. how many people have problems with their sense of taste, "
            "is this common?",
            "context lay",
        ),
        "NIHSeniorHealth_0000039_Sec8": M(
            "I'm having a total knee replacement in March. What are the complications that can happen after knee "
            "replacment surgery?",
            "context",
            ("replacment",),
        ),
    }
)

# NHLBI
MESSAGES.update(
    {
        "NHLBI_0000057_Sec1": M(
            "the doctors think our daughter may have fanconi anemia because her blood counts are dropping and she was "
            "born with thumb problems. what is fanconi anemia?",
            "context lay",
        ),
        "NHLBI_0000116_Sec4": M(
            "how does sarcoidosis show up, what would I feel? a chest xray showed swollen lymph nodes and my doctor "
            "mentioned "
            "sarcoid",
            "context",
        ),
        "NHLBI_0000127_Sec2": M("what causes thalasemia? is it from the parents genes", "lay", ("thalasemia",)),
        "NHLBI_0000003_Sec5": M(
            "my dad's doctor felt a pulsing in his belly during a checkup and wants to check for an aortic aneurysm. "
            "how do they diagnose aneurysms, what scans",
            "context lay",
        ),
        "NHLBI_0000053_Sec6": M(
            "My husband is in the ICU with sepsis and now they say he has DIC, his blood isn't clotting right. How do "
            "they treat disseminated intravascular coagulation?",
            "context",
        ),
        "NHLBI_0000124_Sec3": M(
            "who is at risk for a stroke? I have high blood pressure and I smoke, my dad had a stroke at 60 what else "
            "raises the risk",
            "context",
        ),
        "NHLBI_0000004_Sec7": M(
            "i get chest tightnes when I walk up hills, doctor said angina. how can I prevent it or stop it getting "
            "worse I'm 61 and on blood pressure meds.",
            "context lay",
            ("tightnes",),
        ),
        "NHLBI_0000055_Sec2": M(
            "I'm getting an EKG next week for palpitations. do I need to do anything special to prepare beforehand?",
            "context lay",
        ),
        "NHLBI_0000109_Sec1": M(
            "what is pulmonary hypertension? my echo showed high pressure in the lungs and I get winded climbing "
            "stairs",
            "context lay",
        ),
        "NHLBI_0000102_Sec4": M(
            "I'm exhausted, my hands and feet tingle and my tongue is sore, my b12 is low - could this be pernicous "
            "anemia? what are the signs",
            "context lay",
            ("pernicous",),
        ),
    }
)

# CDC
MESSAGES.update(
    {
        "CDC_0000003_Sec4": M(
            "my father picked up acinetobactor while he was in the ICU. how do hospitals prevent spreading it, and "
            "what can we do when visiting him? He is 74.",
            "context",
            ("acinetobactor",),
        ),
        "CDC_0000269_Sec2": M(
            "I'm going to work in a rural area in the tropics for 2 years. who is at risk of lymphatic filariasis "
            "(elephantiasis) from mosquito bites? I leave in september.",
            "context lay",
        ),
        "CDC_0000397_Sec1": M(
            "what is taeniasis? I think I have a tapeworm after eating undercooked pork on a trip", "context lay"
        ),
        "CDC_0000327_Sec4": M(
            "my 5 year old has been scratching her bottom at night and I saw tiny white worms, pinworms I think. what "
            "medicine treats them? does the whole family need it",
            "context lay",
        ),
        "CDC_0000001_Sec3": M(
            "I wear contacts and my eye has been red and really painful for weeks. I read about acanthameba keratitis. "
            "how is acanthamoeba diagnosed? I rinse my lenses with tap water sometimes.",
            "context lay",
            ("keratitis",),
        ),
        "CDC_0000313_Sec2": M("omsk hemorrhagic fever symptoms?", ""),
        "CDC_0000273_Sec4": M(
            "got sick after eating fish on vacation, the doctor mentioned ciguatera. how common is poisoning from "
            "marine toxins in seafood?",
            "context lay",
        ),
        "CDC_0000090_Sec2": M(
            "i've been exhausted for over a year, no energy, brain fog, sleep doesnt help. my doctor thinks its "
            "chronic "
            "fatigue syndrome. what causes CFS?? I used to run marathons.",
            "context lay",
            ("doesnt", "its"),
        ),
        "CDC_0000054_Sec6": M(
            "my uncle got botulism from home canned food. what complications can botulism cause, can he die from it?",
            "context",
        ),
        "CDC_0000399_Sec5": M("what reserch is being done on tuberculosis, TB studies", "", ("reserch",)),
    }
)
