package web

func init() {
	checkedPages["plans"] = frame[plansPage]{}
	checkedPages["plan"] = frame[planPage]{}
	checkedPages["plan_edit"] = frame[planEditPage]{}
	checkedPages["activity_edit"] = frame[activityEditPage]{}
	checkedPages["followup"] = frame[followUpPage]{}
	checkedPages["period"] = frame[periodPage]{}
	checkedPages["allocation"] = frame[allocationPage]{}
}
